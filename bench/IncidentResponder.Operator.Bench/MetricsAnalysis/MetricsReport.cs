using System.Globalization;
using System.Text;

namespace IncidentResponder.Operator.Bench.MetricsAnalysis;

/// <summary>The metric-analysis figures as a markdown table, beside the intervals that pace them and the goal.</summary>
internal static class MetricsReport
{
    /// <summary>The operator's own share: from the signal due (crossing scrape + <c>for</c>) to the Incident, at p99.</summary>
    public static readonly TimeSpan OperatorShareGoal = TimeSpan.FromSeconds(1);

    /// <summary>Every rollout measured end to end, and the operator's share within the goal.</summary>
    public static bool GoalMet(IReadOnlyList<RolloutOutcome> outcomes) =>
        outcomes.Count > 0
        && outcomes.All(o => o.DueToIncident is not null && o.DueToRollback is not null)
        && Percentiles.Of([.. outcomes.Select(o => o.DueToIncident!.Value)], 99) <= OperatorShareGoal;

    public static string Render(IReadOnlyList<RolloutOutcome> outcomes, MetricsFacts facts)
    {
        var s = facts.Settings;
        var text = new StringBuilder();
        text.AppendLine(Invariant($"Load average (1/5/15 min) at start: {facts.LoadAtStart}; at end: {facts.LoadAtEnd}; {Environment.ProcessorCount} cores; .NET {Environment.Version}"));
        text.AppendLine();
        text.AppendLine(Invariant($"## {outcomes.Count} bad rollouts (Ready pods, 30 % 5xx) over {s.Rollouts} Deployments in {s.Namespaces} namespaces, {s.AtOnce} at a time"));
        text.AppendLine(Invariant($"Prometheus scrape interval {Seconds(s.ScrapeInterval)}, evaluation interval {Seconds(s.ScrapeInterval)} (no rules); operator poll `spec.metrics.interval` {s.PollInterval}; check `above: {MetricsWorld.Threshold}`, `for: {s.For}`"));
        text.AppendLine();
        var missing = outcomes.Where(o => o.DueToIncident is null || o.DueToRollback is null).ToList();
        text.AppendLine("| Figure | n | p50 | p99 | max | goal | |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---|");
        Row(text, "bad rollout patched -> query crossed (first scrape above the threshold)", [.. outcomes.Where(o => o.Crossing is not null).Select(o => o.Crossing!.Value - o.Patched)], null);
        Row(text, "(a) signal due (crossing + for) -> Incident created = the operator's share", [.. outcomes.Where(o => o.DueToIncident is not null).Select(o => o.DueToIncident!.Value)], OperatorShareGoal);
        Row(text, "(b) signal due -> rollback patch accepted", [.. outcomes.Where(o => o.DueToRollback is not null).Select(o => o.DueToRollback!.Value)], null);
        Row(text, "Incident created -> rollback patch accepted", [.. outcomes.Where(o => o.Incident is not null && o.Rollback is not null).Select(o => o.Rollback!.Value - o.Incident!.Value)], null);
        if (missing.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(Invariant($"Not measured end to end ({missing.Count}): {string.Join(", ", missing.Select(Describe))}"));
        }

        return text.ToString();
    }

    private static void Row(StringBuilder text, string what, IReadOnlyList<TimeSpan> sample, TimeSpan? goal)
    {
        if (sample.Count == 0)
        {
            text.AppendLine(Invariant($"| {what} | 0 | | | | {Millis(goal)} | {(goal is null ? string.Empty : "MISSED")} |"));
            return;
        }

        var p99 = Percentiles.Of(sample, 99);
        var verdict = goal is { } g ? (p99 <= g ? "met" : "MISSED") : string.Empty;
        text.AppendLine(Invariant($"| {what} | {sample.Count} | {Millis(Percentiles.Of(sample, 50))} | {Millis(p99)} | {Millis(sample.Max())} | {Millis(goal)} | {verdict} |"));
    }

    private static string Describe(RolloutOutcome o) =>
        $"{o.Namespace}/{o.Name} (crossing {(o.Crossing is null ? "never" : "seen")}, incident {(o.Incident is null ? "none" : "created")}, rollback {(o.Rollback is null ? "none" : "accepted")})";

    private static string Seconds(TimeSpan span) => Invariant($"{span.TotalSeconds:0.###} s");

    private static string Millis(TimeSpan? span) => span is { } s ? Invariant($"{s.TotalMilliseconds:N0} ms") : string.Empty;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
