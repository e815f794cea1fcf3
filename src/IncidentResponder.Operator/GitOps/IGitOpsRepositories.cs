using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.GitOps;

namespace IncidentResponder.Operator.GitOps;

/// <summary>One write-back, as the reconciler orders it.</summary>
/// <param name="Credentials">The data of the policy's credentials Secret, or null for a repository that needs none.</param>
public sealed record WriteBackOrder(
    GitOpsSource Source,
    GitWriteBackMode Mode,
    string IncidentNamespace,
    string IncidentName,
    IReadOnlyList<WriteBackChange> Changes,
    string Reason,
    IDictionary<string, byte[]>? Credentials,
    string? Author,
    string? ApiUrl);

/// <summary>What a write-back came to.</summary>
public abstract record WriteBackOutcome
{
    /// <param name="AlreadyPresent">The commit was found pushed by an earlier attempt (before a restart): nothing was pushed now.</param>
    public sealed record Pushed(string Branch, string Commit, string? PullRequestUrl, bool AlreadyPresent) : WriteBackOutcome;

    /// <param name="Message">What went wrong and what a person can do, without any credential.</param>
    public sealed record Failed(string Message) : WriteBackOutcome;
}

/// <summary>The git side of GitOps: write a mitigation back, and tell whether a revision holds it.</summary>
public interface IGitOpsRepositories
{
    Task<WriteBackOutcome> WriteBackAsync(WriteBackOrder order, CancellationToken cancellationToken);

    /// <summary>Whether the source's revision holds every change's new value; null when that cannot be told (and why is logged).</summary>
    Task<bool?> HoldsAsync(GitOpsSource source, IReadOnlyList<WriteBackChange> changes, IDictionary<string, byte[]>? credentials, CancellationToken cancellationToken);
}
