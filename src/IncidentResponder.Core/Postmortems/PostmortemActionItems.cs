using System.Globalization;
using System.Text;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Evidence;

namespace IncidentResponder.Core.Postmortems;

/// <summary>One suggested follow-up: a row of the post-mortem's action item table, without an owner until the review assigns one.</summary>
public sealed record ActionItem(string Priority, string Action);

/// <summary>
/// The post-mortem's "Action Items", suggested from facts in the record: each item names the fact that calls for it, so the
/// list differs from incident to incident instead of being boilerplate.
/// </summary>
public static class PostmortemActionItems
{
    /// <summary>The API server's default for spec.progressDeadlineSeconds: ten minutes before a stuck rollout is reported.</summary>
    public const int DefaultProgressDeadlineSeconds = 600;

    public static IReadOnlyList<ActionItem> Suggest(PostmortemFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var items = new List<ActionItem>();
        var deployment = MarkdownText.Code($"{facts.Namespace}/{facts.Target}");
        if (facts.Phase == IncidentPhase.Escalated)
        {
            items.Add(new("P0", $"Add a runbook step for this failure, or document the manual fix: the operator escalated ({facts.EscalationReason ?? "no reason recorded"})"));
        }

        if (facts.Rollbacks.Any(r => r.Phase == ActionPhase.Succeeded) && facts.Change is { FailingRevision: { } failing } change)
        {
            var what = change.Differences.Count > 0 ? $" ({change.Differences[0]})" : string.Empty;
            items.Add(new("P0", $"Fix or revert the change of revision {failing}{what} in source control: the cluster was rolled back, the next deploy or GitOps sync applies it again"));
        }

        foreach (var m in facts.MemoryChanges.Where(m => m.Phase == ActionPhase.Succeeded))
        {
            items.Add(new("P0", $"Make the memory limit of container {MarkdownText.Code(m.Container)} {m.ToLimit} in the manifest (the operator raised it from {m.FromLimit}; the next deploy resets it)"));
        }

        if (facts.IsOomSignal)
        {
            items.Add(new("P1", $"Add a memory alert for {deployment}: working set above 90% of the container limit for 5 minutes, before the kernel's OOM killer acts"));
        }

        if (facts.Evidence?.Snapshot is { } snapshot)
        {
            if (snapshot.ProgressDeadlineSeconds is not { } deadline || deadline >= DefaultProgressDeadlineSeconds)
            {
                var now = snapshot.ProgressDeadlineSeconds is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s}s") : "unset";
                items.Add(new("P1", $"Set spec.progressDeadlineSeconds on {deployment} to 2-3 times its normal rollout time (now {now}), so a stuck rollout is reported in minutes"));
            }

            foreach (var c in snapshot.Containers.Where(c => !c.ReadinessProbe))
            {
                items.Add(new("P1", $"Add a readiness probe to container {MarkdownText.Code(c.Name)}, so a broken pod gets no traffic and a rollout stops before it replaces healthy pods"));
            }

            foreach (var c in snapshot.Containers.Where(c => c.MemoryLimit is null))
            {
                items.Add(new("P2", $"Set a memory request and limit on container {MarkdownText.Code(c.Name)}, so its memory use is bounded and visible"));
            }
        }

        if (facts.TimeToDetect is { } ttd && !PostmortemFormat.Within(ttd, facts.Targets.TimeToDetect))
        {
            items.Add(new("P1", $"Detect faster: detection took {PostmortemFormat.Duration(ttd)} against a {PostmortemFormat.Duration(facts.Targets.TimeToDetect)} target (review the policy's detection.holdFor and the alerts on {deployment})"));
        }

        if (facts.TimeToMitigate is { } ttm && !PostmortemFormat.Within(ttm, facts.Targets.TimeToMitigate))
        {
            items.Add(new("P1", $"Mitigate faster: mitigation took {PostmortemFormat.Duration(ttm)} against a {PostmortemFormat.Duration(facts.Targets.TimeToMitigate)} target (review the runbook's step order and verification windows)"));
        }

        foreach (var a in facts.FailedActions)
        {
            items.Add(new("P1", $"Find out why step {a.Step} ({a.Type}) failed: {a.Message ?? "no message recorded"}"));
        }

        foreach (var g in facts.Guardrails)
        {
            items.Add(new("P2", $"Review the guardrail that held a step back: {g.Message}"));
        }

        if (facts.Evidence?.Errors.FirstOrDefault() is { } top)
        {
            items.Add(new("P2", $"Alert on {top.Pattern} log lines of {deployment} ({top.Count} in the failing containers' last lines), so the next occurrence pages before users notice"));
        }

        return items;
    }

    public static void Write(StringBuilder md, PostmortemFacts facts)
    {
        ArgumentNullException.ThrowIfNull(md);
        md.Append("## Action Items\n\n| Priority | Action | Owner | Due |\n|----------|--------|-------|-----|\n");
        var items = Suggest(facts);
        foreach (var item in items)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {item.Priority} | {MarkdownText.Cell(item.Action)} | TBD | TBD |\n");
        }

        if (items.Count == 0)
        {
            md.Append("| P2 | Nothing in the record calls for a change; confirm in the review | TBD | TBD |\n");
        }

        md.Append('\n');
    }
}
