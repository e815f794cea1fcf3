using System.Globalization;
using System.Text;
using IncidentResponder.Core.Evidence;

namespace IncidentResponder.Core.Postmortems;

/// <summary>The post-mortem's "Impact": duration, the affected target, and replicas unavailable over time as far as the record knows.</summary>
public static class PostmortemImpact
{
    public static void Write(StringBuilder md, PostmortemFacts facts)
    {
        ArgumentNullException.ThrowIfNull(md);
        ArgumentNullException.ThrowIfNull(facts);
        md.Append("## Impact\n\n");
        md.Append("- **Duration:** ");
        if (facts.ImpactDuration is { } duration && facts.DetectedAt is { } start && facts.ImpactEnd is { } end)
        {
            md.Append(CultureInfo.InvariantCulture, $"{PostmortemFormat.Duration(duration)} ({MarkdownText.Time(start)} — {MarkdownText.Time(end)} UTC)\n");
        }
        else
        {
            md.Append(facts.DetectedAt is { } since ? $"ongoing since {MarkdownText.Time(since)} UTC\n" : "unknown\n");
        }

        md.Append(CultureInfo.InvariantCulture, $"- **Affected target:** Deployment {MarkdownText.Code($"{facts.Namespace}/{facts.Target}")}, signal {facts.Signal.Type}");
        md.Append(string.IsNullOrEmpty(facts.Signal.Reason) ? "\n" : $" ({facts.Signal.Reason})\n");
        md.Append("- **Users affected, revenue, data loss:** not known to the operator; fill in from request metrics.\n\n");

        var samples = Samples(facts);
        if (samples.Count == 0)
        {
            md.Append("Replicas unavailable over time: not recorded (no evidence was collected).\n\n");
            return;
        }

        md.Append("Replicas unavailable over time:\n\n| Time (UTC) | Unavailable | Available / desired | Source |\n|---|---|---|---|\n");
        foreach (var (time, unavailable, available, source) in samples)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {MarkdownText.Time(time)} | {unavailable} | {available} | {source} |\n");
        }

        md.Append('\n');
    }

    /// <summary>What the record knows: the target at evidence collection, and all replicas back when mitigation was verified.</summary>
    private static List<(DateTimeOffset Time, string Unavailable, string Available, string Source)> Samples(PostmortemFacts facts)
    {
        var samples = new List<(DateTimeOffset, string, string, string)>();
        if (facts.Evidence is { Snapshot: { } snapshot } evidence)
        {
            samples.Add((evidence.CollectedAt, snapshot.UnavailableReplicas.ToString(CultureInfo.InvariantCulture),
                $"{snapshot.AvailableReplicas}/{snapshot.DesiredReplicas}", "evidence collected"));
        }

        if (samples.Count > 0 && facts.MitigatedAt is { } mitigated)
        {
            samples.Add((mitigated, "0", "all", "mitigation verified"));
        }

        return samples;
    }
}
