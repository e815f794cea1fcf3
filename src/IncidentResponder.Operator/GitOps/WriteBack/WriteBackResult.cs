using IncidentResponder.Core.GitOps;

namespace IncidentResponder.Operator.GitOps.WriteBack;

/// <summary>Where a write-back commit goes.</summary>
public enum WriteBackMode
{
    /// <summary>A commit on the tracked branch itself.</summary>
    Direct,

    /// <summary>A commit on <c>incident-responder/&lt;incident&gt;</c>, left for a person to merge.</summary>
    Branch,

    /// <summary>The branch, and a pull request from it to the tracked branch.</summary>
    PullRequest,
}

/// <summary>What went wrong, in the categories a person acts on differently.</summary>
public enum WriteBackFailure
{
    /// <summary>The server could not be reached (DNS, connection, no such repository).</summary>
    Unreachable,

    /// <summary>The server refused the credentials, or the host key did not match known_hosts.</summary>
    AuthenticationFailed,

    /// <summary>Nothing under the path declares the value, or in a shape write-back does not edit.</summary>
    ManifestNotFound,

    /// <summary>The tracked branch moved under the push twice in a row.</summary>
    BranchMoved,

    /// <summary>The server refused the push (protected branch, hook, read-only key).</summary>
    PushRejected,

    Other,
}

/// <summary>A write-back: where to write, what, and as whom.</summary>
/// <param name="RepositoryUrl">ssh://, https:// or file:// URL (scp-like <c>git@host:org/repo</c> works too).</param>
/// <param name="TrackedBranch">The owner's targetRevision; <c>HEAD</c> (or empty) means the repository's default branch.</param>
/// <param name="Path">The owner's path in the repository; empty or <c>.</c> is the root.</param>
public sealed record GitWriteBackRequest(
    string RepositoryUrl,
    string TrackedBranch,
    string Path,
    WriteBackMode Mode,
    string IncidentNamespace,
    string IncidentName,
    IReadOnlyList<WriteBackChange> Changes,
    WriteBackMessageParts Message,
    GitCredentials Credentials);

/// <summary>How a write-back ended.</summary>
public abstract record WriteBackResult
{
    private protected WriteBackResult()
    {
    }

    /// <summary>
    /// Git declares the change on <paramref name="Branch"/> at <paramref name="CommitSha"/>. <paramref name="AlreadyPresent"/>:
    /// nothing was pushed now, because this incident's commit (or an equal value) was already there.
    /// </summary>
    public sealed record Pushed(string Branch, string CommitSha, bool AlreadyPresent, string? PullRequestUrl) : WriteBackResult;

    /// <summary>Nothing written; <paramref name="Message"/> says what a person should do, and holds no credential.</summary>
    public sealed record Failed(WriteBackFailure Kind, string Message) : WriteBackResult;
}

/// <summary>Whether a revision declares the changes' <c>To</c> values: true, false, or null with the reason it cannot be told.</summary>
public sealed record WriteBackHolds(bool? Holds, string? Reason);
