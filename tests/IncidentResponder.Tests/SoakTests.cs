using IncidentResponder.Soak;

namespace IncidentResponder.Tests;

/// <summary>
/// The chaos soak, three minutes of it: API chaos, two operator processes killed and restarted at seeded times, bad
/// rollouts, an OOM storm and flaky pods; every invariant must hold and no operator process may grow. The seed is
/// fixed so a run is reproducible (SOAK_SEED overrides it); <c>make soak</c> runs the same harness for 30 minutes.
/// </summary>
public sealed class SoakTests
{
    private const int DefaultSeed = 20261208;

    [Fact]
    public async Task A_three_minute_chaos_soak_with_operators_killed_at_random_holds_every_invariant()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("SOAK_SEED"), out var chosen) ? chosen : DefaultSeed;
        var work = Directory.CreateTempSubdirectory("soak-").FullName;
        var options = new SoakOptions { Seed = seed, Duration = TimeSpan.FromMinutes(3), SampleEvery = TimeSpan.FromSeconds(20), WorkDirectory = work };
        using var log = new StringWriter();
        var result = await SoakRun.RunAsync(options, TextWriter.Synchronized(log), TestContext.Current.CancellationToken);
        TestContext.Current.TestOutputHelper?.WriteLine(log + result.Report);

        Assert.True(result.Invariants.All(i => i.Violations.Count == 0), result.Report);
        Assert.DoesNotContain(result.Trends, t => t.Growing);
        // The run did what a soak must: it killed a leader and another took over, and bad rollouts were rolled back.
        Assert.True(result.LongestFailover is not null, "no leader was killed and replaced:\n" + result.Report);
        Assert.True(result.WorstRolloutToRollback is not null, "no bad rollout was rolled back:\n" + result.Report);
    }
}
