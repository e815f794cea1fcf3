using System.Globalization;
using System.Text;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Evidence;

namespace IncidentResponder.Core.Postmortems;

/// <summary>The post-mortem's "Summary": what failed, for how long, what restored it, and the likely trigger, in a paragraph.</summary>
public static class PostmortemSummary
{
    public static void Write(StringBuilder md, PostmortemFacts facts)
    {
        ArgumentNullException.ThrowIfNull(md);
        ArgumentNullException.ThrowIfNull(facts);
        md.Append("## Summary\n\n");
        if (facts.Phase is not IncidentPhase.Resolved)
        {
            md.Append(CultureInfo.InvariantCulture, $"> Draft: the incident is {facts.Phase?.ToString() ?? "not opened"}; this records what is known so far.\n\n");
        }

        var when = facts.DetectedAt is { } detected ? $"At {MarkdownText.DateTime(detected)}" : "During the incident";
        md.Append(CultureInfo.InvariantCulture,
            $"{when}, Deployment {MarkdownText.Code($"{facts.Namespace}/{facts.Target}")} showed {facts.Signal.Type}");
        md.Append(string.IsNullOrEmpty(facts.Signal.Reason) ? "" : $" ({facts.Signal.Reason})");
        md.Append(CultureInfo.InvariantCulture, $". Incident {MarkdownText.Code(facts.Name)} ({facts.Severity}) was opened {PostmortemFormat.Duration(facts.TimeToDetect)} after the signal became visible.");
        if (!string.IsNullOrEmpty(facts.Summary))
        {
            md.Append(' ').Append(facts.Summary.TrimEnd('.')).Append('.');
        }

        md.Append(' ').Append(Mitigation(facts));
        if (facts.Change is { FailingRevision: { } failing } change && change.Differences.Count > 0)
        {
            md.Append(CultureInfo.InvariantCulture, $" The likely trigger is revision {failing}: {change.Differences[0]}.");
        }

        md.Append("\n\n");
    }

    private static string Mitigation(PostmortemFacts facts)
    {
        var verified = facts.MitigatedAt is { } at ? $" and the target was verified healthy at {MarkdownText.Time(at)} UTC, {PostmortemFormat.Duration(facts.TimeToMitigate)} after detection" : string.Empty;
        if (facts.Rollbacks.FirstOrDefault(r => r.Phase == ActionPhase.Succeeded) is { } rollback)
        {
            return $"The operator rolled the Deployment back from revision {rollback.FromRevision ?? "?"} to revision {rollback.ToRevision ?? "?"} (step {rollback.Step}){verified}.";
        }

        if (facts.Actions.FirstOrDefault(a => a.Phase == ActionPhase.Succeeded) is { } action)
        {
            return $"Step {action.Step} ({action.Type}) mitigated it{verified}.";
        }

        if (facts.Phase == IncidentPhase.Escalated)
        {
            return $"The operator escalated to people: {facts.EscalationReason ?? "no reason recorded"}.";
        }

        return facts.MitigatedAt is not null ? $"The target recovered{verified}." : "It has not been mitigated yet.";
    }
}
