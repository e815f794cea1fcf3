using System.CommandLine;
using System.Globalization;
using System.Text;

namespace IncidentResponder.Operator.Bench.Workloads;

/// <summary>The <c>workloads</c> subcommand: the latency table with a row per workload kind, measured in the same run.</summary>
internal static class WorkloadsCommand
{
    public static Command Create()
    {
        var perKind = new Option<int>("--per-kind") { Description = "Workloads of each kind (Deployment, StatefulSet, DaemonSet) that get a crash-looping rollout.", DefaultValueFactory = _ => 10 };
        var deadline = new Option<int>("--deadline-s") { Description = "Seconds to wait after the last bad rollout for every rollback.", DefaultValueFactory = _ => 120 };
        var operatorLog = new Option<string>("--operator-log") { Description = "File for the operator's log.", DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "operator-bench-workloads.log") };
        var command = new Command("workloads", "Signal -> Incident and -> rollback for Deployments, StatefulSets and DaemonSets side by side, with the simulator's controllers and kubelet running.")
        {
            perKind, deadline, operatorLog,
        };
        command.SetAction(async (parse, ct) =>
        {
            var n = parse.GetValue(perKind);
            if (n is < 1 or > 30)
            {
                // The benchmark policy allows 100 incidents at once; three kinds of 30 stay under it.
                await parse.InvocationConfiguration.Error.WriteLineAsync($"--per-kind {n} must be from 1 to 30");
                return 2;
            }

            var output = parse.InvocationConfiguration.Output;
            var (outcomes, loadAtStart, loadAtEnd) = await new WorkloadsRun(n, TimeSpan.FromSeconds(parse.GetValue(deadline)), parse.GetValue(operatorLog)!, output).RunAsync(ct);
            await output.WriteLineAsync();
            await output.WriteAsync(Render(outcomes, loadAtStart, loadAtEnd));
            return outcomes.All(o => o.Rollback is { } r && r >= TimeSpan.Zero) && WorkloadsRun.Kinds.All(k => P99(outcomes, k, o => o.Rollback) <= ResultsTable.Goal) ? 0 : 1;
        });
        return command;
    }

    private static string Render(IReadOnlyList<WorkloadOutcome> outcomes, string loadAtStart, string loadAtEnd)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Load average (1/5/15 min) at start: {loadAtStart}; at end: {loadAtEnd}; {Environment.ProcessorCount} cores; .NET {Environment.Version}");
        text.AppendLine();
        text.AppendLine("| From the clear signal (first pod of the bad revision in CrashLoopBackOff, committed) | kind | n | p50 ms | p99 ms | max ms | goal p99 <= 1000 ms |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---|");
        foreach (var (what, pick) in new (string, Func<WorkloadOutcome, TimeSpan?>)[] { ("(a) Incident created", o => o.Incident), ("(b) rollback patch accepted", o => o.Rollback) })
        {
            foreach (var kind in WorkloadsRun.Kinds)
            {
                var sample = Sample(outcomes, kind, pick);
                var total = outcomes.Count(o => o.Kind == kind);
                var p99 = sample.Count == 0 ? (TimeSpan?)null : Percentiles.Of(sample, 99);
                text.AppendLine(CultureInfo.InvariantCulture, $"| {what} | {kind} | {sample.Count} of {total} | {Ms(sample.Count == 0 ? null : Percentiles.Of(sample, 50))} | {Ms(p99)} | {Ms(sample.Count == 0 ? null : sample.Max())} | {(p99 is { } p && p <= ResultsTable.Goal && sample.Count == total ? "met" : "MISSED")} |");
            }
        }

        return text.ToString();
    }

    private static TimeSpan? P99(IReadOnlyList<WorkloadOutcome> outcomes, string kind, Func<WorkloadOutcome, TimeSpan?> pick)
    {
        var sample = Sample(outcomes, kind, pick);
        return sample.Count == 0 ? null : Percentiles.Of(sample, 99);
    }

    /// <summary>The measured figures of one kind's workloads (those never seen are left out).</summary>
    private static List<TimeSpan> Sample(IReadOnlyList<WorkloadOutcome> outcomes, string kind, Func<WorkloadOutcome, TimeSpan?> pick) =>
        [.. outcomes.Where(o => o.Kind == kind).Select(pick).OfType<TimeSpan>()];

    private static string Ms(TimeSpan? span) => span is { } s ? s.TotalMilliseconds.ToString("N0", CultureInfo.InvariantCulture) : "-";
}
