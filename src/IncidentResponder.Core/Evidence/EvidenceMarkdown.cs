using System.Globalization;
using System.Text;

namespace IncidentResponder.Core.Evidence;

/// <summary>The evidence bundle as a person reads it (the ConfigMap's evidence.md), in the order of the playbook's investigation phase.</summary>
public static class EvidenceMarkdown
{
    public static string Render(EvidenceBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Evidence: {bundle.Incident}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Collected {MarkdownText.DateTime(bundle.CollectedAt)} for Deployment {MarkdownText.Code($"{bundle.Namespace}/{bundle.TargetName}")}. Secret-looking values are redacted.\n\n");
        Target(md, bundle.Snapshot);
        Rollout(md, bundle.Rollout, bundle.Diff);
        Errors(md, bundle.Errors);
        Events(md, bundle.Events);
        Logs(md, bundle.Logs);
        if (bundle.Notes.Count > 0)
        {
            md.Append("## Notes\n\n");
            foreach (var note in bundle.Notes)
            {
                md.Append("- ").Append(note).Append('\n');
            }

            md.Append('\n');
        }

        return md.ToString();
    }

    private static void Target(StringBuilder md, TargetSnapshot? snapshot)
    {
        if (snapshot is null)
        {
            return;
        }

        md.Append("## Target\n\n");
        md.Append(CultureInfo.InvariantCulture, $"- Replicas: {snapshot.AvailableReplicas} of {snapshot.DesiredReplicas} available, {snapshot.UnavailableReplicas} unavailable\n");
        md.Append(CultureInfo.InvariantCulture, $"- Revision: {snapshot.Revision?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}; progressDeadlineSeconds: {snapshot.ProgressDeadlineSeconds?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}\n");
        foreach (var c in snapshot.Containers)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"- Container {MarkdownText.Code(c.Name)}: image {MarkdownText.Code(c.Image)}, memory request {c.MemoryRequest ?? "unset"}, limit {c.MemoryLimit ?? "unset"}, readiness probe {(c.ReadinessProbe ? "yes" : "none")}, liveness probe {(c.LivenessProbe ? "yes" : "none")}\n");
        }

        md.Append('\n');
    }

    private static void Rollout(StringBuilder md, IReadOnlyList<RevisionEntry> rollout, RevisionDiff? diff)
    {
        md.Append("## Rollout history\n\n");
        if (rollout.Count == 0)
        {
            md.Append("No ReplicaSets found.\n\n");
        }
        else
        {
            md.Append("| Revision | ReplicaSet | Images | Ready | Created |\n|---|---|---|---|---|\n");
            foreach (var r in rollout)
            {
                md.Append(CultureInfo.InvariantCulture,
                    $"| {r.Revision} | {MarkdownText.Cell(r.ReplicaSet)} | {MarkdownText.Cell(string.Join(", ", r.Images))} | {r.ReadyReplicas}/{r.Replicas} | {MarkdownText.DateTime(r.CreatedAt)} |\n");
            }

            md.Append('\n');
        }

        if (diff is not null)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"What changed in revision {diff.FailingRevision?.ToString(CultureInfo.InvariantCulture) ?? "?"} since revision {diff.GoodRevision?.ToString(CultureInfo.InvariantCulture) ?? "?"}:\n\n");
            foreach (var line in diff.Differences.DefaultIfEmpty("nothing the pod template summary shows"))
            {
                md.Append("- ").Append(line).Append('\n');
            }

            md.Append('\n');
        }
    }

    private static void Errors(StringBuilder md, IReadOnlyList<ErrorCount> errors)
    {
        md.Append("## Errors by pattern\n\n");
        if (errors.Count == 0)
        {
            md.Append("No error lines in the logs read.\n\n");
            return;
        }

        md.Append("| Pattern | Lines | Example |\n|---|---|---|\n");
        foreach (var e in errors)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {e.Pattern} | {e.Count} | {MarkdownText.Cell(e.Example)} |\n");
        }

        md.Append('\n');
    }

    private static void Events(StringBuilder md, IReadOnlyList<EventSummary> events)
    {
        md.Append("## Recent events\n\n");
        if (events.Count == 0)
        {
            md.Append("No events about the target, its ReplicaSets or its pods.\n\n");
            return;
        }

        md.Append("| Last seen | Type | Reason | Object | Count | Message |\n|---|---|---|---|---|---|\n");
        foreach (var e in events)
        {
            var seen = e.LastSeen ?? e.FirstSeen;
            md.Append(CultureInfo.InvariantCulture,
                $"| {(seen is { } t ? MarkdownText.Time(t) : " ")} | {e.Type} | {MarkdownText.Cell(e.Reason)} | {e.ObjectKind}/{MarkdownText.Cell(e.ObjectName)} | {e.Count} | {MarkdownText.Cell(e.Message)} |\n");
        }

        md.Append('\n');
    }

    private static void Logs(StringBuilder md, IReadOnlyList<LogExcerpt> logs)
    {
        md.Append("## Logs\n\n");
        if (logs.Count == 0)
        {
            md.Append("No failing containers to read logs from.\n\n");
            return;
        }

        foreach (var log in logs)
        {
            md.Append(CultureInfo.InvariantCulture, $"### {log.Pod} / {log.Container} ({(log.Previous ? "previous instance" : "current instance")})\n\n");
            if (log.Unavailable is { } why)
            {
                md.Append("Not available: ").Append(why).Append("\n\n");
                continue;
            }

            if (log.OmittedLines > 0)
            {
                md.Append(CultureInfo.InvariantCulture, $"Last {log.Lines.Count} lines ({log.OmittedLines} earlier lines not shown).\n\n");
            }

            MarkdownText.Fenced(md, "text", log.Lines);
            md.Append('\n');
        }
    }
}
