using System.Globalization;
using System.Text;

namespace IncidentResponder.Soak;

/// <summary>The judgement of one soak run and the figures the report prints.</summary>
public sealed record SoakResult(
    int Seed,
    IReadOnlyList<(string Name, IReadOnlyList<string> Violations)> Invariants,
    IReadOnlyList<Trend> Trends,
    TimeSpan? LongestFailover,
    TimeSpan? LongestFailoverToAction,
    TimeSpan? WorstRolloutToRollback,
    string Report)
{
    public bool Passed => Invariants.All(i => i.Violations.Count == 0) && !Trends.Any(t => t.Growing);

    internal static SoakResult From(SoakOptions options, SoakRecord record, IReadOnlyList<OperatorProcess> operators, Trouble trouble, bool settled)
    {
        var invariants = Soak.Invariants.Check(record);
        var trends = operators.SelectMany(o => o.Series.SelectMany(s => ResourceTrend.Of($"{o.User}-{s.Generation}", s.Samples))).ToList();
        var leaseWrites = record.Audit.Where(Soak.Invariants.IsLeaseWrite).OrderBy(r => r.Time).ToList();
        var failovers = record.Kills.Where(k => k.WasLeader)
            .Select(k => leaseWrites.FirstOrDefault(l => l.Time > k.At && l.User != k.User) is { } taken ? (Kill: k, Taken: taken) : default)
            .Where(f => f.Taken is not null)
            .ToList();
        var toAction = failovers
            .Select(f => record.Audit.FirstOrDefault(r => r.Time > f.Taken.Time && r.User == f.Taken.User && r.Verb is "patch" or "update" or "create"
                && r.StatusCode is >= 200 and < 300 && !Soak.Invariants.IsLeaseWrite(r)) is { } first ? first.Time - f.Kill.At : (TimeSpan?)null)
            .OfType<TimeSpan>().ToList();
        var toRollback = record.Rollouts
            .Select(r => Soak.Invariants.RollbackPatches(record, r.Deployment).FirstOrDefault(p => p.Time >= r.At) is { } p ? p.Time - r.At : (TimeSpan?)null)
            .OfType<TimeSpan>().ToList();

        var text = new StringBuilder();
        var line = (string s) => text.AppendLine(CultureInfo.InvariantCulture, $"{s}");
        line($"Soak seed {options.Seed}, {options.Duration.TotalMinutes:0.#} min: {record.Rollouts.Count} bad rollouts, {trouble.OomStorms} OOM storms, "
            + $"{trouble.FlakyRestarts} flaky restarts, {record.Kills.Count} operator kills ({record.Kills.Count(k => k.WasLeader)} of the leader, "
            + $"{record.Kills.Count(k => k.Hard)} with kill -9), {record.Incidents.Count} incidents, {record.Audit.Count} API requests"
            + (settled ? string.Empty : "; the quiet period ran out before every incident finished"));
        foreach (var (name, violations) in invariants)
        {
            line($"  [{(violations.Count == 0 ? "held" : "FAILED")}] {name}");
            foreach (var violation in violations.Take(10))
            {
                line($"      {violation}");
            }
        }

        line($"  longest failover (leader killed -> new leader holds the Lease): {Seconds(failovers.Select(f => f.Taken.Time - f.Kill.At).DefaultIfEmpty().Max())}"
            + $"; -> its first write: {Seconds(toAction.DefaultIfEmpty().Max())}");
        line($"  worst bad rollout -> rollback patch: {Seconds(toRollback.DefaultIfEmpty().Max())} (median {Seconds(toRollback.Order().ElementAtOrDefault(toRollback.Count / 2))})");
        line($"  resource trends ({trends.Count / 4} process lifetimes with >= {ResourceTrend.MinimumSamples} samples, every {options.SampleEvery.TotalSeconds:0} s):");
        foreach (var trend in trends)
        {
            line($"    {trend.Process,-14} {trend.Resource,-8} {trend.First,8:0.#} -> {trend.Last,8:0.#} over {trend.Samples} samples, slope {trend.SlopePerMinute,7:0.##}/min{(trend.Growing ? "  GROWING" : string.Empty)}");
        }

        var passed = invariants.All(i => i.Violations.Count == 0) && !trends.Any(t => t.Growing);
        line(passed ? "  PASSED" : $"  FAILED: replay with --seed {options.Seed}");
        return new SoakResult(options.Seed, invariants, trends,
            failovers.Count == 0 ? null : failovers.Max(f => f.Taken.Time - f.Kill.At), toAction.Count == 0 ? null : toAction.Max(),
            toRollback.Count == 0 ? null : toRollback.Max(), text.ToString());
    }

    private static string Seconds(TimeSpan span) => span == TimeSpan.Zero ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.0} s");
}
