using System.Text;

namespace IncidentResponder.Core.GitOps;

/// <summary>What a write-back commit says: the incident, the revision the workload went back to, and why.</summary>
/// <param name="Revision">The workload revision the cluster now runs (a Deployment revision, a sha), if known.</param>
/// <param name="Reason">Why the operator changed the cluster, in the incident's words.</param>
public sealed record WriteBackMessageParts(string IncidentNamespace, string IncidentName, string? Revision, string Reason, IReadOnlyList<WriteBackChange> Changes);

/// <summary>
/// The commit message and branch name of a write-back. The trailer <c>Incident-Responder-Incident: ns/name</c> is what
/// makes write-back idempotent: before committing, the shell looks for a commit carrying it, so one incident yields
/// one commit even when the operator restarts between push and status write.
/// </summary>
public static class WriteBackCommitMessage
{
    public const string TrailerKey = "Incident-Responder-Incident";
    public const string BranchPrefix = "incident-responder/";

    /// <summary>The trailer's value for an incident: <c>namespace/name</c>.</summary>
    public static string TrailerValue(string incidentNamespace, string incidentName) => $"{incidentNamespace}/{incidentName}";

    /// <summary>The branch Branch and PullRequest modes push: <c>incident-responder/&lt;incident name&gt;</c>.</summary>
    public static string Branch(string incidentName) => BranchPrefix + incidentName;

    /// <summary>The first line: what changed and for which incident.</summary>
    public static string Subject(WriteBackMessageParts parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var incident = TrailerValue(parts.IncidentNamespace, parts.IncidentName);
        return parts.Changes switch
        {
            [var only] => $"{Verb(only.Field)} {only.Kind} {only.Name} to {only.To} (incident {incident})",
            _ => $"Write back {parts.Changes.Count} changes made during incident {incident}",
        };
    }

    /// <summary>Everything after the subject: the changes, revision and reason, then the trailer as the last paragraph.</summary>
    public static string Body(WriteBackMessageParts parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var body = new StringBuilder()
            .Append("incident-responder changed the cluster during incident ").Append(TrailerValue(parts.IncidentNamespace, parts.IncidentName))
            .Append("; this commit makes git declare the same, so the GitOps tool stops undoing it.\n\n");
        foreach (var change in parts.Changes)
        {
            body.Append("- ").Append(change.Describe()).Append('\n');
        }

        body.Append('\n');
        if (!string.IsNullOrWhiteSpace(parts.Revision))
        {
            body.Append("Rolled back to revision ").Append(parts.Revision.Trim()).Append(".\n");
        }

        // Kept out of the last paragraph, which git reads as trailers, and on one line.
        body.Append("Why: ").Append(string.Join(' ', parts.Reason.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))).Append("\n\n");
        body.Append(TrailerKey).Append(": ").Append(TrailerValue(parts.IncidentNamespace, parts.IncidentName)).Append('\n');
        return body.ToString();
    }

    /// <summary>The whole message: subject, blank line, body.</summary>
    public static string Render(WriteBackMessageParts parts) => Subject(parts) + "\n\n" + Body(parts);

    private static string Verb(string field) => field switch
    {
        WriteBackChange.Image => "Set image of",
        WriteBackChange.MemoryLimit => "Raise memory limit of",
        WriteBackChange.Replicas => "Scale",
        _ => "Change",
    };
}
