namespace IncidentResponder.Operator.Controllers;

/// <summary>How open incidents are driven. The defaults suit a cluster; tests and the demo look again sooner.</summary>
public sealed record IncidentOptions
{
    /// <summary>How soon an open incident is decided again (verification windows, cooldowns, approvals).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How the cluster's GitOps tools are set up, for recognising what they own.</summary>
    public Core.GitOps.GitOpsSettings GitOps { get; init; } = new();

    /// <summary>Which addresses the HTTP flag provider may reach: the admin's egress policy, never a tenant's.</summary>
    public Core.Egress.EgressPolicy Egress { get; init; } = Core.Egress.EgressPolicy.Default;
}
