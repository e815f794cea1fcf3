using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Core.GitOps;

/// <summary>Where an owner applies from: the repository, the folder, the branch it tracks and the commit it last saw.</summary>
/// <param name="Revision">The commit the owner last reported (Argo CD status.sync.revision; the GitRepository's artifact), if any.</param>
public sealed record GitOpsSource(string Url, string Path, string TargetRevision, string? Revision)
{
    /// <summary>The commit of a revision as Argo CD (a bare sha) or Flux (<c>main@sha1:&lt;hex&gt;</c>) reports it; null for none.</summary>
    public static string? CommitOf(string? revision)
    {
        if (string.IsNullOrEmpty(revision))
        {
            return null;
        }

        var colon = revision.LastIndexOf(':');
        return colon >= 0 ? revision[(colon + 1)..] : revision;
    }

    /// <summary>A commit's first 12 characters, as people read it in records.</summary>
    public static string Short(string commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        return commit.Length > 12 ? commit[..12] : commit;
    }
}

/// <summary>
/// The target's GitOps owner as the shell read it at one reconcile: the owner's identity, the owner object itself (for
/// the pause), and its source. <paramref name="OwnerObject"/> is null when it could not be read; <paramref name="ReadError"/> says why.
/// </summary>
/// <param name="ArgoCdHasEnabledField">Whether the served Application CRD knows spec.syncPolicy.automated.enabled (Argo CD 3.1+).</param>
public sealed record GitOpsObservation(GitOpsOwner Owner, JsonObject? OwnerObject, string? ReadError, bool ArgoCdHasEnabledField, GitOpsSource? Source)
{
    /// <summary>The owner as the incident's status records it.</summary>
    public GitOpsOwnerRecord Record() => new()
    {
        Tool = Owner.Tool.ToString(),
        Kind = Owner.Kind,
        Namespace = Owner.Namespace,
        Name = Owner.Name,
        Evidence = Owner.Evidence,
        SourceUrl = Source?.Url,
        Path = Source?.Path,
        TargetRevision = Source?.TargetRevision,
        Revision = Source?.Revision,
    };
}
