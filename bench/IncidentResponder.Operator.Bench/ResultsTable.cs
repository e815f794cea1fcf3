using System.Globalization;
using System.Text;

namespace IncidentResponder.Operator.Bench;

/// <summary>The results as markdown tables, with the issue's goal (p99 ≤ 1 s for both) marked met or missed.</summary>
internal static class ResultsTable
{
    public static readonly TimeSpan Goal = TimeSpan.FromSeconds(1);

    public static bool GoalMet(LatencyReport report, RunFacts facts) =>
        GitOpsResults.GoalMet(report, facts)
        && report.Outcomes.All(o => o.IncidentLatency is not null && o.RollbackLatency is not null)
        && Percentiles.Of(Sample(report, o => o.IncidentLatency), 99) <= Goal
        && Percentiles.Of(Sample(report, o => o.RollbackLatency), 99) <= Goal;

    public static string Render(BenchSettings s, LatencyReport r, RunFacts f)
    {
        var text = new StringBuilder();
        var k = r.Outcomes.Count;
        text.AppendLine(Invariant($"Load average (1/5/15 min) at start: {f.LoadAtStart}; at end: {f.LoadAtEnd}; {Environment.ProcessorCount} cores; .NET {Environment.Version}"));
        text.AppendLine();
        text.AppendLine(Invariant($"## Setup: {s.Deployments:N0} Deployments x {s.PodsPerDeployment} pods = {s.Pods:N0} running pods in {s.Namespaces} namespaces, written through the store in {f.LoadTime.TotalSeconds:F1} s; operator synced in {f.OperatorSync.TotalSeconds:F1} s"));
        text.AppendLine(Invariant($"Policy per namespace: Automatic, holdFor {s.HoldFor}, minAffectedPods 1, minAffectedPercent 50; churn {f.ChurnRate:N0} pod writes/s achieved (asked {s.ChurnPerSecond}, {f.ChurnSkipped} skipped); {k} bad rollouts injected over {f.InjectionSpan.TotalSeconds:F1} s, each {s.NewPodsPerRollout} new pods crash-looping {s.CrashSpacing.TotalMilliseconds:0} ms apart"));
        text.AppendLine();

        text.AppendLine(Invariant($"| From the clear signal at the API + holdFor ({s.HoldFor}), {k} bad rollouts | n | min ms | p50 ms | p99 ms | max ms | goal p99 <= {Goal.TotalMilliseconds:0} ms |"));
        text.AppendLine("|---|---:|---:|---:|---:|---:|---|");
        Row(text, "(a) Incident created (committed by the API server)", Sample(r, o => o.IncidentLatency), k, goal: true);
        Row(text, "(b) rollback patch accepted (API server answered 200, not a dry run)", Sample(r, o => o.RollbackLatency), k, goal: true);
        Row(text, "of which from the Incident created to the rollback accepted ((b) − (a))", Sample(r, o => o.RollbackLatency - o.IncidentLatency), k, goal: false);
        Row(text, "raw watch delivery of the same clear pod writes (bare KubernetesClient watch)", Sample(r, o => o.WatchLatency), k, goal: false);
        Row(text, "raw watch delivery, every write to the bad rollouts' pods", r.RolloutPodWatchLatencies, r.RolloutPodWatchLatencies.Count, goal: false);
        Row(text, "raw watch delivery, churn writes", r.ChurnWatchLatencies, r.ChurnWatchLatencies.Count + r.ChurnWritesNotReceived, goal: false);
        text.AppendLine();
        GitOpsResults.Render(text, s, r, f);
        text.AppendLine(Invariant($"Incidents for other Deployments (false positives): {r.UnexpectedIncidents.Count}{(r.UnexpectedIncidents.Count == 0 ? string.Empty : " — " + string.Join(", ", r.UnexpectedIncidents.Take(5)))}"));
        text.AppendLine();

        text.AppendLine("| Operator controller, from the first injection until every rollback | queue adds | reconciles | mean queue wait ms | mean reconcile ms | retries | errors |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var c in f.Counters)
        {
            text.AppendLine(Invariant($"| {c.Controller} | {c.Adds:N0} | {c.Reconciles:N0} | {c.MeanQueueMs:F1} | {c.MeanWorkMs:F1} | {c.Retries:N0} | {c.Errors:N0} |"));
        }

        return text.ToString();
    }

    private static List<TimeSpan> Sample(LatencyReport r, Func<RolloutOutcome, TimeSpan?> pick) =>
        [.. r.Outcomes.Select(pick).OfType<TimeSpan>()];

    private static void Row(StringBuilder text, string what, IReadOnlyList<TimeSpan> sample, int expected, bool goal)
    {
        var n = sample.Count == expected ? Invariant($"{sample.Count:N0}") : Invariant($"{sample.Count:N0} of {expected:N0}");
        if (sample.Count == 0)
        {
            text.AppendLine($"| {what} | {n} | - | - | - | - | {(goal ? "MISSED" : string.Empty)} |");
            return;
        }

        var p99 = Percentiles.Of(sample, 99);
        var verdict = goal ? (p99 <= Goal && sample.Count == expected ? "met" : "MISSED") : string.Empty;
        text.AppendLine(Invariant($"| {what} | {n} | {sample.Min().TotalMilliseconds:F0} | {Percentiles.Of(sample, 50).TotalMilliseconds:F0} | {p99.TotalMilliseconds:F0} | {sample.Max().TotalMilliseconds:F0} | {verdict} |"));
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
