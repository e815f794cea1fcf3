namespace IncidentResponder.Operator.GitOps;

/// <summary>How the GitOps follow-up is driven.</summary>
public sealed record GitOpsOptions
{
    /// <summary>How soon a paused owner's source is looked at again (git changes without an event the operator watches).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How the cluster's GitOps tools are set up, for recognising what they own.</summary>
    public Core.GitOps.GitOpsSettings Settings { get; init; } = new();
}
