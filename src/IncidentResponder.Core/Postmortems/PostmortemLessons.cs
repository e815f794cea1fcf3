using System.Text;
using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Core.Postmortems;

/// <summary>The post-mortem's "Lessons Learned": the general rule each kind of fact in the record illustrates, for the review to keep or rewrite.</summary>
public static class PostmortemLessons
{
    public static IReadOnlyList<string> Draw(PostmortemFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var lessons = new List<string>();
        if (facts.Change is { FailingRevision: not null })
        {
            lessons.Add(facts.Rollbacks.Any(r => r.Phase == ActionPhase.Succeeded)
                ? $"A deployment was the trigger, and rolling back first restored service in {PostmortemFormat.Duration(facts.TimeToMitigate)}: stabilize first, investigate second"
                : "A deployment was the trigger: deploys need the same guard (progress deadline, readiness probe) as any risky change");
        }

        if (facts.IsOomSignal)
        {
            lessons.Add("Memory limits need headroom and an alert that fires before the kernel kills the process");
        }

        if (facts.Phase == IncidentPhase.Escalated)
        {
            lessons.Add("This failure needed a human decision the runbook did not have: automate it next time if it was mechanical");
        }

        if (facts.Guardrails.Count > 0)
        {
            lessons.Add("Guardrails shaped the response: check that their limits match how fast this service must recover");
        }

        if (lessons.Count == 0)
        {
            lessons.Add($"{facts.Signal.Type} on {facts.Target} had no recorded cause in the cluster: look at its dependencies and data");
        }

        return lessons;
    }

    public static void Write(StringBuilder md, PostmortemFacts facts)
    {
        ArgumentNullException.ThrowIfNull(md);
        md.Append("## Lessons Learned\n\n");
        var lessons = Draw(facts);
        for (var i = 0; i < lessons.Count; i++)
        {
            md.Append(i + 1).Append(". ").Append(lessons[i]).Append('\n');
        }

        md.Append('\n');
    }
}
