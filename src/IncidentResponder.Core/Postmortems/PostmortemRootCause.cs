using System.Globalization;
using System.Text;
using IncidentResponder.Core.Evidence;

namespace IncidentResponder.Core.Postmortems;

/// <summary>
/// The post-mortem's "Root Cause", as hints for the review to confirm: what changed between the failing and the last good
/// revision, the images each revision ran, memory figures for OOM kills, and the log error patterns.
/// </summary>
public static class PostmortemRootCause
{
    public static void Write(StringBuilder md, PostmortemFacts facts)
    {
        ArgumentNullException.ThrowIfNull(md);
        ArgumentNullException.ThrowIfNull(facts);
        md.Append("## Root Cause\n\n_Hints computed from the record; the review confirms or corrects them._\n\n");
        var any = false;
        if (facts.Change is { } change)
        {
            any = true;
            md.Append(CultureInfo.InvariantCulture,
                $"**Revision change.** Failing revision {change.FailingRevision?.ToString(CultureInfo.InvariantCulture) ?? "?"}, last good revision {change.GoodRevision?.ToString(CultureInfo.InvariantCulture) ?? "none"}:\n\n");
            foreach (var line in change.Differences)
            {
                md.Append("- ").Append(line).Append('\n');
            }

            md.Append('\n');
            var revisions = facts.Evidence?.Rollout.Where(r => r.Revision == change.FailingRevision || r.Revision == change.GoodRevision).ToList() ?? [];
            foreach (var r in revisions.OrderByDescending(r => r.Revision))
            {
                md.Append(CultureInfo.InvariantCulture, $"- Revision {r.Revision} ({MarkdownText.Code(r.ReplicaSet)}) runs {string.Join(", ", r.Images.Select(MarkdownText.Code))}\n");
            }

            if (revisions.Count > 0)
            {
                md.Append('\n');
            }
        }

        if (facts.IsOomSignal)
        {
            any = true;
            md.Append("**Memory.** Containers were killed for exceeding their memory limit.\n\n");
            foreach (var c in facts.Evidence?.Snapshot?.Containers ?? [])
            {
                md.Append(CultureInfo.InvariantCulture, $"- Container {MarkdownText.Code(c.Name)} when the incident opened: memory request {c.MemoryRequest ?? "unset"}, limit {c.MemoryLimit ?? "unset"}\n");
            }

            foreach (var m in facts.MemoryChanges)
            {
                md.Append(CultureInfo.InvariantCulture, $"- The operator raised the memory limit of container {MarkdownText.Code(m.Container)} from {m.FromLimit} to {m.ToLimit} ({m.Phase})\n");
            }

            md.Append('\n');
        }

        if (facts.Evidence is { Errors.Count: > 0 } evidence)
        {
            any = true;
            md.Append("**Logs.** Error lines in the failing containers' last logs, by pattern:\n\n");
            foreach (var e in evidence.Errors)
            {
                md.Append(CultureInfo.InvariantCulture, $"- {e.Pattern}: {e.Count} lines, e.g. {MarkdownText.Code(e.Example)}\n");
            }

            md.Append('\n');
        }

        if (!any)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"No revision change, memory figures or log errors were recorded: the cause of {facts.Signal.Type} lies outside the pod template (a dependency, data, capacity) and is to be investigated.\n\n");
        }
    }
}
