using System.Globalization;
using System.Text;

namespace IncidentResponder.Operator.Bench;

/// <summary>
/// The rollback latency split by GitOps ownership, from the same run: plain Deployments beside Argo CD-owned ones,
/// whose rollback waits for the owner's pause (a GET, a dry-run patch once per namespace, the pause patch).
/// </summary>
internal static class GitOpsResults
{
    public static bool GoalMet(LatencyReport report, RunFacts facts)
    {
        var owned = Rollback(report, facts, owned: true);
        return facts.GitOpsPauses.Passed && (facts.GitOpsOwned.Count == 0 || (owned.Count == facts.GitOpsOwned.Count && Percentiles.Of(owned, 99) <= ResultsTable.Goal));
    }

    public static void Render(StringBuilder text, BenchSettings s, LatencyReport r, RunFacts f)
    {
        var plain = Rollback(r, f, owned: false);
        var owned = Rollback(r, f, owned: true);
        var plainExpected = r.Outcomes.Count - f.GitOpsOwned.Count;
        text.AppendLine(Invariant($"## GitOps: {f.GitOpsOwned.Count} of {r.Outcomes.Count} bad rollouts on Deployments applied by an Argo CD Application (--gitops-share {s.GitOpsShare})"));
        text.AppendLine();
        text.AppendLine(Invariant($"| From the clear signal at the API + holdFor ({s.HoldFor}), same run | n | p50 ms | p95 ms | p99 ms | max ms | goal p99 <= {ResultsTable.Goal.TotalMilliseconds:0} ms |"));
        text.AppendLine("|---|---:|---:|---:|---:|---:|---|");
        Row(text, "signal → rollback accepted (plain)", plain, plainExpected, goal: true);
        Row(text, "signal → rollback accepted (GitOps-owned, pause first)", owned, f.GitOpsOwned.Count, goal: true);
        Row(text, "signal → owner's pause patch accepted (GitOps-owned)", f.GitOpsPauses.PauseLatencies, f.GitOpsOwned.Count, goal: false);
        text.AppendLine();
        var p = f.GitOpsPauses;
        text.AppendLine(Invariant($"Pause check: {p.Marked}/{p.Owned} Applications carry the paused-by annotation, {p.PatchedOnce}/{p.Owned} got exactly one non-dry-run patch, {p.PausedBeforeRollback}/{p.Owned} were paused before their Deployment's rollback: {(p.Passed ? "passed" : "FAILED — " + string.Join("; ", p.Problems.Take(5)))}"));
        text.AppendLine();
    }

    private static List<TimeSpan> Rollback(LatencyReport r, RunFacts f, bool owned) =>
        [.. r.Outcomes.Where(o => f.GitOpsOwned.Contains((o.Rollout.Target.Namespace, o.Rollout.Target.Name)) == owned)
            .Select(o => o.RollbackLatency).OfType<TimeSpan>()];

    private static void Row(StringBuilder text, string what, IReadOnlyList<TimeSpan> sample, int expected, bool goal)
    {
        var n = sample.Count == expected ? Invariant($"{sample.Count:N0}") : Invariant($"{sample.Count:N0} of {expected:N0}");
        if (sample.Count == 0)
        {
            text.AppendLine($"| {what} | {n} | - | - | - | - | {(goal && expected > 0 ? "MISSED" : string.Empty)} |");
            return;
        }

        var p99 = Percentiles.Of(sample, 99);
        var verdict = goal ? (p99 <= ResultsTable.Goal && sample.Count == expected ? "met" : "MISSED") : string.Empty;
        text.AppendLine(Invariant($"| {what} | {n} | {Ms(Percentiles.Of(sample, 50))} | {Ms(Percentiles.Of(sample, 95))} | {Ms(p99)} | {Ms(sample.Max())} | {verdict} |"));
    }

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
