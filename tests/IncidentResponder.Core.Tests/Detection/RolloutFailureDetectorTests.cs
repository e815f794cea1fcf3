using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Tests.Fixtures;
using static IncidentResponder.Core.Tests.Fixtures.Cluster;

namespace IncidentResponder.Core.Tests.Detection;

public sealed class RolloutFailureDetectorTests
{
    // Defaults except a minimum of two pods, so "one flaky pod" cannot pass on count alone.
    private static readonly DetectionThresholds Thresholds = DetectionThresholds.Default with { MinAffectedPods = 2 };

    private static readonly ReplicaSetObservation Old = ReplicaSet(2, Clock.T0.AddDays(-3), replicas: 2, ready: 2);
    private static readonly ReplicaSetObservation New = ReplicaSet(3, Clock.At(-120), replicas: 4, ready: 0);

    private static DetectionInput Rollout(params PodObservation[] newPods) =>
        new(RollingOut(), [Old, New], [HealthyPod("old-1", 2), HealthyPod("old-2", 2), .. newPods]);

    [Fact]
    public void One_flaky_pod_of_four_opens_nothing_however_long_it_lasts()
    {
        var input = Rollout(CrashLooping("new-1", 3), HealthyPod("new-2", 3), HealthyPod("new-3", 3), HealthyPod("new-4", 3));
        var state = HysteresisState.Empty;
        for (var t = 0; t <= 120; t += 10)
        {
            var result = RolloutFailureDetector.Detect(input, Thresholds, state, Clock.At(t));
            Assert.Empty(result.Confirmed);
            Assert.Empty(result.Pending);
            state = result.State;
        }
    }

    [Fact]
    public void Two_of_four_new_pods_crashlooping_for_hold_for_is_a_crashloop()
    {
        var input = Rollout(CrashLooping("new-1", 3), CrashLooping("new-2", 3), HealthyPod("new-3", 3), HealthyPod("new-4", 3));

        var first = RolloutFailureDetector.Detect(input, Thresholds, HysteresisState.Empty, Clock.T0);
        Assert.Empty(first.Confirmed);
        var pending = Assert.Single(first.Pending);
        Assert.Equal(SignalType.CrashLoop, pending.Key.Type);

        var almost = RolloutFailureDetector.Detect(input, Thresholds, first.State, Clock.At(19));
        Assert.Empty(almost.Confirmed);

        var held = RolloutFailureDetector.Detect(input, Thresholds, almost.State, Clock.At(20));
        var signal = Assert.Single(held.RolloutSignals);
        Assert.Equal(new SignalKey(Namespace, Name, SignalType.CrashLoop, 3), signal.Key);
        Assert.Equal(SignalPath.Rollout, signal.Path);
        Assert.Equal("CrashLoopBackOff", signal.Reason);
        Assert.Equal(Clock.T0, signal.FirstSeen);
        Assert.Equal(["new-1", "new-2"], signal.AffectedPods);
        Assert.Equal(4, signal.TotalPods);
        Assert.Equal("2/4 pods of revision 3 (web-h3) show CrashLoopBackOff", signal.Message);
        Assert.True(held.RecentRollout);
    }

    [Fact]
    public void A_good_observation_in_between_restarts_the_hold()
    {
        var bad = Rollout(CrashLooping("new-1", 3), CrashLooping("new-2", 3), HealthyPod("new-3", 3), HealthyPod("new-4", 3));
        var good = Rollout(HealthyPod("new-1", 3), HealthyPod("new-2", 3), HealthyPod("new-3", 3), HealthyPod("new-4", 3));

        var r1 = RolloutFailureDetector.Detect(bad, Thresholds, HysteresisState.Empty, Clock.T0);
        var r2 = RolloutFailureDetector.Detect(good, Thresholds, r1.State, Clock.At(10));
        Assert.Equal(HysteresisState.Empty, r2.State);
        var r3 = RolloutFailureDetector.Detect(bad, Thresholds, r2.State, Clock.At(25));
        Assert.Empty(r3.Confirmed);
        Assert.Equal(Clock.At(25), Assert.Single(r3.Pending).FirstSeen);
    }

    [Fact]
    public void Hysteresis_state_is_data_that_survives_a_round_trip()
    {
        var input = Rollout(CrashLooping("new-1", 3), CrashLooping("new-2", 3));
        var r1 = RolloutFailureDetector.Detect(input, Thresholds, HysteresisState.Empty, Clock.T0);
        var restored = new HysteresisState(new ValueList<HeldSignal>(r1.State.Held.ToList()));
        Assert.Equal(r1.State, restored);
        Assert.Single(RolloutFailureDetector.Detect(input, Thresholds, restored, Clock.At(20)).Confirmed);
    }

    [Fact]
    public void Same_input_gives_equal_results()
    {
        var input = Rollout(CrashLooping("new-1", 3), CrashLooping("new-2", 3));
        Assert.Equal(
            RolloutFailureDetector.Detect(input, Thresholds, HysteresisState.Empty, Clock.T0),
            RolloutFailureDetector.Detect(input, Thresholds, HysteresisState.Empty, Clock.T0));
    }

    [Fact]
    public void A_first_revision_minutes_old_is_young_but_no_recent_rollout_an_undo_could_fix()
    {
        var first = ReplicaSet(1, Clock.At(-120));
        var input = new DetectionInput(Deployment(revision: 1), [first],
            [OomKilled("p1", 1, Clock.At(-30)), OomKilled("p2", 1, Clock.At(-40)), HealthyPod("p3", 1), HealthyPod("p4", 1)]);

        var result = RolloutFailureDetector.Detect(input, DetectionThresholds.Default with { HoldFor = TimeSpan.Zero }, HysteresisState.Empty, Clock.T0);

        Assert.False(result.RecentRollout);
        Assert.True(result.NewRevisionIsRecent);
        Assert.Equal(SignalPath.Rollout, Assert.Single(result.Confirmed, s => s.Key.Type == SignalType.OOMKilled).Path);
    }

    [Fact]
    public void A_second_revision_minutes_old_is_a_recent_rollout()
    {
        var input = new DetectionInput(Deployment(revision: 2), [ReplicaSet(1, Clock.At(-600), 0, 0), ReplicaSet(2, Clock.At(-120))],
            [OomKilled("p1", 2, Clock.At(-30)), OomKilled("p2", 2, Clock.At(-40)), HealthyPod("p3", 2), HealthyPod("p4", 2)]);

        var result = RolloutFailureDetector.Detect(input, DetectionThresholds.Default with { HoldFor = TimeSpan.Zero }, HysteresisState.Empty, Clock.T0);

        Assert.True(result.RecentRollout);
    }

    [Fact]
    public void An_oom_kill_stays_evidence_however_short_the_recent_rollout_window()
    {
        // A one-second window once also made each kill vanish a second after it happened, so the hold never completed.
        var thresholds = DetectionThresholds.Default with { RecentRolloutWindow = TimeSpan.FromSeconds(1) };
        var stable = ReplicaSet(1, Clock.At(-120));
        var input = new DetectionInput(Deployment(revision: 1), [stable],
            [OomKilled("p1", 1, Clock.At(-30)), OomKilled("p2", 1, Clock.At(-45)), HealthyPod("p3", 1), HealthyPod("p4", 1)]);

        var state = HysteresisState.Empty;
        DetectionResult? last = null;
        foreach (var t in new[] { -20, -10, 0 })
        {
            last = RolloutFailureDetector.Detect(input, thresholds, state, Clock.At(t));
            state = last.State;
        }

        var signal = Assert.Single(last!.Confirmed);
        Assert.Equal((SignalType.OOMKilled, SignalPath.StableRevision), (signal.Key.Type, signal.Path));
    }

    [Fact]
    public void Oom_on_an_unchanged_revision_is_not_a_rollout_signal()
    {
        var settled = Deployment(ready: 3, available: 3, unavailable: 1, revision: 2);
        var stable = ReplicaSet(2, Clock.T0.AddDays(-3));
        var input = new DetectionInput(settled, [ReplicaSet(1, Clock.T0.AddDays(-9), 0, 0), stable],
            [OomKilled("p1", 2, Clock.At(-30)), OomKilled("p2", 2, Clock.At(-40)), HealthyPod("p3", 2), HealthyPod("p4", 2)]);

        var result = RolloutFailureDetector.Detect(input, DetectionThresholds.Default with { HoldFor = TimeSpan.Zero }, HysteresisState.Empty, Clock.T0);

        Assert.False(result.RecentRollout);
        Assert.Empty(result.RolloutSignals);
        var signal = Assert.Single(result.StableRevisionSignals);
        Assert.Equal(SignalType.OOMKilled, signal.Key.Type);
        Assert.Equal(SignalPath.StableRevision, signal.Path);
    }

    [Fact]
    public void Oom_in_the_new_revision_of_a_rollout_is_a_rollout_signal()
    {
        var input = Rollout(OomKilled("new-1", 3, Clock.At(-5)), OomKilled("new-2", 3, Clock.At(-5)));
        var result = RolloutFailureDetector.Detect(input, Thresholds with { HoldFor = TimeSpan.Zero }, HysteresisState.Empty, Clock.T0);
        Assert.Equal(SignalType.OOMKilled, Assert.Single(result.RolloutSignals).Key.Type);
    }

    [Fact]
    public void Signals_on_old_pods_during_a_rollout_belong_to_the_stable_path()
    {
        var input = new DetectionInput(RollingOut(), [Old, New],
            [CrashLooping("old-1", 2), CrashLooping("old-2", 2), HealthyPod("new-1", 3)]);
        var result = RolloutFailureDetector.Detect(input, Thresholds with { HoldFor = TimeSpan.Zero }, HysteresisState.Empty, Clock.T0);
        var signal = Assert.Single(result.Confirmed);
        Assert.Equal((SignalPath.StableRevision, 2L), (signal.Path, signal.Key.Revision!.Value));
    }

    [Fact]
    public void Progress_deadline_exceeded_is_confirmed_at_once_without_pod_signals()
    {
        var stuck = RollingOut() with { Conditions = ValueList.Of(Unavailable, DeadlineExceeded(Clock.At(-3))) };
        var input = new DetectionInput(stuck, [Old, New], [HealthyPod("old-1", 2)]);
        var result = RolloutFailureDetector.Detect(input, Thresholds, HysteresisState.Empty, Clock.T0);
        var signal = Assert.Single(result.RolloutSignals);
        Assert.Equal(new SignalKey(Namespace, Name, SignalType.RolloutStuck, 3), signal.Key);
        Assert.Equal("ProgressDeadlineExceeded", signal.Reason);
        Assert.Equal(Clock.At(-3), signal.FirstSeen);
    }

    [Theory]
    [InlineData(ImagePullCase.ErrImagePull, SignalType.ImagePull)]
    [InlineData(ImagePullCase.ImagePullBackOff, SignalType.ImagePull)]
    [InlineData(ImagePullCase.CreateContainerConfigError, SignalType.ConfigError)]
    public void Each_waiting_failure_of_new_pods_becomes_its_signal(ImagePullCase reason, SignalType expected)
    {
        var input = Rollout(Waiting("new-1", 3, reason.ToString()), Waiting("new-2", 3, reason.ToString()));
        var result = RolloutFailureDetector.Detect(input, Thresholds with { HoldFor = TimeSpan.Zero }, HysteresisState.Empty, Clock.T0);
        Assert.Equal(expected, Assert.Single(result.RolloutSignals).Key.Type);
    }

    public enum ImagePullCase
    {
        ErrImagePull,
        ImagePullBackOff,
        CreateContainerConfigError,
    }

    [Fact]
    public void Readiness_failing_new_pods_beyond_grace_are_a_signal()
    {
        var input = Rollout(RunningNotReady("new-1", 3, Clock.At(-60)), RunningNotReady("new-2", 3, Clock.At(-60)));
        var result = RolloutFailureDetector.Detect(input, Thresholds with { HoldFor = TimeSpan.Zero }, HysteresisState.Empty, Clock.T0);
        Assert.Equal(SignalType.ReadinessFailing, Assert.Single(result.RolloutSignals).Key.Type);
    }

    [Theory]
    [InlineData(1, 4, 1, 50, false)] // 25% < 50%
    [InlineData(2, 4, 1, 50, true)]
    [InlineData(1, 1, 1, 50, true)]
    [InlineData(1, 1, 2, 50, false)] // one pod of one is not enough when two are required
    [InlineData(3, 10, 3, 30, true)]
    [InlineData(3, 10, 3, 31, false)]
    [InlineData(1, 2, 0, 50, true)]
    [InlineData(0, 4, 0, 0, false)] // nothing affected is never a signal
    public void Both_thresholds_must_hold(int affected, int total, int minPods, int minPercent, bool expected) =>
        Assert.Equal(expected, RolloutFailureDetector.MeetsThreshold(affected, total,
            DetectionThresholds.Default with { MinAffectedPods = minPods, MinAffectedPercent = minPercent }));

    [Fact]
    public void Hysteresis_of_other_targets_is_left_alone()
    {
        var other = new HeldSignal(new SignalKey(Namespace, "api", SignalType.CrashLoop, 7), Clock.At(-100));
        var state = new HysteresisState(ValueList.Of(other));
        var result = RolloutFailureDetector.Detect(Rollout(HealthyPod("new-1", 3)), Thresholds, state, Clock.T0);
        Assert.Equal(state, result.State);
    }
}
