using System.Globalization;
using System.Text;

namespace IncidentResponder.Operator.Bench.Fleet;

/// <summary>The fleet benchmark's figures as a markdown table, each beside its goal and its baseline from the same run.</summary>
internal static class FleetReport
{
    public const double BytesPerPodGoal = 1024;
    public static readonly TimeSpan SyncGoal = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan RollbackGoal = TimeSpan.FromSeconds(1);

    public static bool GoalsMet(FleetResults r) =>
        r.Sync.BytesPerPod <= BytesPerPodGoal
        && r.Sync.EveryDeploymentObserved <= SyncGoal
        && r.BaselineSignalToRollback is { } baseline && baseline <= RollbackGoal
        && r.Failovers.All(f => f.FirstAction is { } first && first <= r.Settings.FailoverGoal);

    public static string Render(FleetResults r)
    {
        var s = r.Settings;
        var text = new StringBuilder();
        text.AppendLine(Invariant($"Load average (1/5/15 min) at start: {r.LoadAtStart}; at end: {r.LoadAtEnd}; {Environment.ProcessorCount} cores; .NET {Environment.Version}"));
        text.AppendLine();
        text.AppendLine(Invariant($"## Setup: {s.Nodes:N0} nodes, {s.Deployments:N0} Deployments x {s.PodsPerDeployment} = {s.Pods:N0} running pods in {s.Namespaces} namespaces, stored in {r.LoadTime.TotalSeconds:F1} s"));
        text.AppendLine(Invariant($"Background during the failovers: {r.ChurnRate:N0} pod writes/s (asked {s.ChurnPerSecond:N0}) and {r.HeartbeatRate:N0} node lease, node status and node event writes/s; leader election lease {s.LeaseDuration.TotalSeconds:0} s, renew deadline {s.RenewDeadline.TotalSeconds:0} s, retry {s.RetryPeriod.TotalSeconds:0} s"));
        text.AppendLine();
        text.AppendLine("| Figure | measured | goal | |");
        text.AppendLine("|---|---:|---:|---|");
        Row(text, "operator heap growth per pod, first replica (caches + detection state, after a full GC)", Invariant($"{r.Sync.BytesPerPod:N0} B"), "1,024 B", r.Sync.BytesPerPod <= BytesPerPodGoal);
        Row(text, "operator heap growth per pod, standby replica (caches only)", Invariant($"{r.StandbySync.BytesPerPod:N0} B"), "1,024 B", r.StandbySync.BytesPerPod <= BytesPerPodGoal);
        Row(text, "initial sync: caches listed and watching, first replica", Seconds(r.Sync.CachesSynced), "", null);
        Row(text, "initial sync: leading and every Deployment looked at once", Seconds(r.Sync.EveryDeploymentObserved), Seconds(SyncGoal), r.Sync.EveryDeploymentObserved <= SyncGoal);
        Row(text, "initial sync: standby caches listed and watching (while the leader runs)", Seconds(r.StandbySync.CachesSynced), "", null);
        Row(text, "baseline: signal -> rollback, healthy leader", Millis(r.BaselineSignalToRollback), Millis(RollbackGoal), r.BaselineSignalToRollback <= RollbackGoal);
        foreach (var (failover, index) in r.Failovers.Select((f, i) => (f, i + 1)))
        {
            Row(text, Invariant($"kill -9 {index} ({failover.Killed}): to {failover.Successor} leading"), Millis(failover.LeaseTaken), "", null);
            Row(text, Invariant($"kill -9 {index} ({failover.Killed}): to the first action (rollback of a rollout that went bad after the kill)"), Millis(failover.FirstAction), Millis(s.FailoverGoal), failover.FirstAction <= s.FailoverGoal);
            Row(text, Invariant($"kill -9 {index}: that rollout's signal -> rollback"), Millis(failover.SignalToRollback), "", null);
        }

        if (r.Failovers.Count > 0)
        {
            var worst = r.Failovers.Select(f => f.FirstAction ?? TimeSpan.MaxValue).Max();
            Row(text, "worst kill -9 -> first action", worst == TimeSpan.MaxValue ? "never" : Millis(worst), Millis(s.FailoverGoal), worst <= s.FailoverGoal);
        }

        return text.ToString();
    }

    private static void Row(StringBuilder text, string what, string measured, string goal, bool? met) =>
        text.AppendLine($"| {what} | {measured} | {goal} | {(met switch { true => "met", false => "MISSED", null => string.Empty })} |");

    private static string Seconds(TimeSpan span) => Invariant($"{span.TotalSeconds:F1} s");

    private static string Millis(TimeSpan? span) => span is { } s ? Invariant($"{s.TotalMilliseconds:N0} ms") : "never";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
