using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Probes;
using IncidentResponder.Core.Tests.Fixtures;

namespace IncidentResponder.Core.Tests.Probes;

/// <summary>A policy probe's failures in a row, and the HealthCheckFailing signal once they reach the threshold.</summary>
public sealed class ProbeStreakTests
{
    private static readonly PolicyProbeSettings Probe = PolicyProbeSettings.From(new PolicyProbe
    {
        Name = "web-health", Service = "web", Path = "/healthz", LatencyBudget = "300ms", FailureThreshold = 3,
    });

    private static readonly ProbeVerdict Late = ProbeJudge.Judge(Probe.Probe, new ProbeAnswer(200, TimeSpan.FromSeconds(1)));
    private static readonly ProbeVerdict Fine = ProbeJudge.Judge(Probe.Probe, new ProbeAnswer(200, TimeSpan.FromMilliseconds(5)));

    [Fact]
    public void Failures_in_a_row_count_from_the_first_one()
    {
        var streak = ProbeStreak.None.Next(Late, Clock.At(0)).Next(Late, Clock.At(10)).Next(Late, Clock.At(20));

        Assert.Equal((3, (DateTimeOffset?)Clock.At(0)), (streak.ConsecutiveFailures, streak.FailingSince));
        Assert.True(streak.Confirmed(3));
        Assert.False(streak.Confirmed(4));
    }

    [Fact]
    public void A_pass_ends_the_streak()
    {
        var streak = ProbeStreak.None.Next(Late, Clock.At(0)).Next(Late, Clock.At(10)).Next(Fine, Clock.At(20)).Next(Late, Clock.At(30));

        Assert.Equal((1, (DateTimeOffset?)Clock.At(30)), (streak.ConsecutiveFailures, streak.FailingSince));
        Assert.True(streak.Failing);
        Assert.False(streak.Confirmed(3));
    }

    [Fact]
    public void Under_the_threshold_there_is_no_signal()
    {
        var streak = ProbeStreak.None.Next(Late, Clock.At(0)).Next(Late, Clock.At(10));

        Assert.Null(ProbeSignal.From(Probe, streak, Observed(), Detection(recent: true)));
    }

    [Fact]
    public void At_the_threshold_on_a_recent_rollout_the_signal_belongs_to_the_rollback_path_with_the_probes_evidence()
    {
        var streak = ProbeStreak.None.Next(Late, Clock.At(0)).Next(Late, Clock.At(10)).Next(Late, Clock.At(20));

        var signal = ProbeSignal.From(Probe, streak, Observed(), Detection(recent: true));

        Assert.NotNull(signal);
        Assert.Equal(new SignalKey(Cluster.Namespace, Cluster.Name, SignalType.HealthCheckFailing, 3), signal.Key);
        Assert.Equal((SignalPath.Rollout, "HttpProbeFailed", Clock.At(0)), (signal.Path, signal.Reason, signal.FirstSeen));
        Assert.Equal("probe web-health failed 3 times in a row (threshold 3): GET service web/healthz answered 200 in 1s, over its 300ms budget", signal.Message);
    }

    [Fact]
    public void On_a_revision_that_did_not_just_change_the_signal_is_the_stable_revisions()
    {
        var streak = ProbeStreak.None.Next(Late, Clock.At(0)).Next(Late, Clock.At(10)).Next(Late, Clock.At(20));

        Assert.Equal(SignalPath.StableRevision, ProbeSignal.From(Probe, streak, Observed(), Detection(recent: false))!.Path);
    }

    private static DetectionInput Observed() => new(Cluster.Deployment(revision: 3), [], []);

    private static DetectionResult Detection(bool recent) =>
        new(ValueList<DetectedSignal>.Empty, ValueList<DetectedSignal>.Empty, HysteresisState.Empty, recent, 3) { NewRevisionIsRecent = recent };
}
