using System.Text;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Evidence;

namespace IncidentResponder.Core.Postmortems;

/// <summary>
/// The post-mortem's "What Went Well" and "What Went Wrong", judged from the record: time to detect and mitigate against the
/// targets, actions that worked or failed, guardrails that held a step back, escalation. Blameless: about the system.
/// </summary>
public static class PostmortemReview
{
    public static (IReadOnlyList<string> Well, IReadOnlyList<string> Wrong) Judge(PostmortemFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var well = new List<string>();
        var wrong = new List<string>();
        var targets = facts.Targets;
        if (facts.TimeToDetect is { } ttd)
        {
            (PostmortemFormat.Within(ttd, targets.TimeToDetect) ? well : wrong).Add(
                $"Time to detect {PostmortemFormat.Duration(ttd)}, {(PostmortemFormat.Within(ttd, targets.TimeToDetect) ? "within" : "over")} the {PostmortemFormat.Duration(targets.TimeToDetect)} target");
        }

        var mitigatedInTime = false;
        if (facts.TimeToMitigate is { } ttm)
        {
            mitigatedInTime = PostmortemFormat.Within(ttm, targets.TimeToMitigate);
            (mitigatedInTime ? well : wrong).Add(
                $"Time to mitigate {PostmortemFormat.Duration(ttm)}, {(mitigatedInTime ? "within" : "over")} the {PostmortemFormat.Duration(targets.TimeToMitigate)} target");
        }
        else
        {
            wrong.Add($"Not mitigated by the operator (target {PostmortemFormat.Duration(targets.TimeToMitigate)})");
        }

        foreach (var rollback in facts.Rollbacks.Where(r => r.Phase == ActionPhase.Succeeded))
        {
            well.Add($"Automatic rollback from revision {rollback.FromRevision ?? "?"} to revision {rollback.ToRevision ?? "?"} restored the target (step {rollback.Step})");
        }

        foreach (var action in facts.Actions.Where(a => a.Phase == ActionPhase.Succeeded && a.Type != ActionType.RolloutUndo))
        {
            well.Add($"Step {action.Step} ({action.Type}) succeeded{Detail(action.Message)}");
        }

        foreach (var action in facts.FailedActions)
        {
            wrong.Add($"Step {action.Step} ({action.Type}) failed{Detail(action.Message)}");
        }

        foreach (var guardrail in facts.Guardrails)
        {
            // A guardrail that held a step back did its job when the incident was still mitigated in time.
            (mitigatedInTime ? well : wrong).Add($"Guardrail held a step back at {MarkdownText.Time(Utc(guardrail.Time))} UTC: {guardrail.Message}");
        }

        if (facts.Phase == IncidentPhase.Escalated)
        {
            wrong.Add($"The operator escalated to people: {facts.EscalationReason ?? "no reason recorded"}");
        }

        if (facts.Evidence is { } evidence)
        {
            well.Add($"Evidence (logs, events, rollout history) was collected automatically at {MarkdownText.Time(evidence.CollectedAt)} UTC");
        }

        return (well, wrong);
    }

    public static void Write(StringBuilder md, PostmortemFacts facts)
    {
        ArgumentNullException.ThrowIfNull(md);
        var (well, wrong) = Judge(facts);
        List("What Went Well", well, md);
        List("What Went Wrong", wrong, md);
    }

    private static void List(string heading, IReadOnlyList<string> items, StringBuilder md)
    {
        md.Append("## ").Append(heading).Append("\n\n");
        foreach (var item in items.DefaultIfEmpty("Nothing recorded"))
        {
            md.Append("- ").Append(MarkdownText.Cell(item)).Append('\n');
        }

        md.Append('\n');
    }

    private static string Detail(string? message) => string.IsNullOrEmpty(message) ? string.Empty : ": " + message;

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
