using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Exhaustion;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Tests.Fixtures;
using static IncidentResponder.Core.Tests.Fixtures.Cluster;

namespace IncidentResponder.Core.Tests.Exhaustion;

public sealed class ExhaustionDetectorTests
{
    private static readonly DetectionThresholds NoHold = DetectionThresholds.Default with { HoldFor = TimeSpan.Zero };

    /// <summary>A settled Deployment on revision 2 (rolled out three days ago): nothing here is a recent rollout.</summary>
    private static DetectionInput Stable(params PodObservation[] pods) =>
        new(Deployment(revision: 2), [ReplicaSet(2, Clock.T0.AddDays(-3))], pods);

    private static PodObservation Old(PodObservation pod) => pod with { CreatedAt = Clock.T0.AddDays(-1) };

    private static PodObservation Exit137(string name, int restarts, DateTimeOffset at) =>
        Old(Pod(name, 2, true, new ContainerObservation("app", true, true, null, "Error", 137, at, restarts)));

    private static PodObservation Restarting(string name, int restarts) =>
        Old(Pod(name, 2, true, new ContainerObservation("app", true, true, null, "Error", 1, Clock.At(-5), restarts)));

    private static ExhaustionDetection Detect(DetectionInput observed, DetectionThresholds? thresholds = null, HysteresisState? state = null,
        RestartHistory? restarts = null, DateTimeOffset? now = null, NodeOomEvent[]? events = null, PodPlacement[]? placements = null) =>
        ExhaustionDetector.Detect(new ExhaustionInput(observed, events ?? [], placements ?? []), thresholds ?? NoHold, ExhaustionThresholds.Default,
            state ?? HysteresisState.Empty, restarts ?? RestartHistory.Empty, now ?? Clock.T0);

    [Fact]
    public void Oom_killed_containers_on_a_stable_revision_are_exhaustion_not_a_rollout_failure()
    {
        var result = Detect(Stable(OomKilled("web-1", 2, Clock.At(-30)), OomKilled("web-2", 2, Clock.At(-20)), HealthyPod("web-3", 2), HealthyPod("web-4", 2))).Result;
        var signal = Assert.Single(result.Confirmed);
        Assert.Equal((SignalType.OOMKilled, SignalPath.StableRevision, "OOMKilled"), (signal.Key.Type, signal.Path, signal.Reason));
        Assert.Equal(["web-1", "web-2"], signal.AffectedPods);
        Assert.Contains("2 by container status OOMKilled", signal.Message, StringComparison.Ordinal);
        Assert.Empty(result.RolloutSignals);
    }

    [Fact]
    public void Oom_kills_right_after_a_rollout_belong_to_the_rollback_path()
    {
        var observed = new DetectionInput(RollingOut(3), [ReplicaSet(2, Clock.T0.AddDays(-3), replicas: 3), ReplicaSet(3, Clock.At(-60), replicas: 2, ready: 0)],
            [HealthyPod("old-1", 2), OomKilled("new-1", 3, Clock.At(-5)), OomKilled("new-2", 3, Clock.At(-4))]);
        var signal = Assert.Single(Detect(observed).Result.Confirmed);
        Assert.Equal((SignalType.OOMKilled, SignalPath.Rollout, 3L), (signal.Key.Type, signal.Path, signal.Key.Revision));
    }

    [Fact]
    public void Exit_code_137_counts_as_oom_only_while_restarts_rise()
    {
        var first = Exit137("web-1", 4, Clock.At(-10));
        var start = Detect(Stable(first, HealthyPod("web-2", 2)));
        Assert.Empty(start.Result.Confirmed); // first sight of an old pod: no rise known yet

        var later = Detect(Stable(Exit137("web-1", 5, Clock.At(50)), HealthyPod("web-2", 2)), restarts: start.Restarts, now: Clock.At(60));
        var signal = Assert.Single(later.Result.Confirmed);
        Assert.Equal((SignalType.OOMKilled, "ExitCode137"), (signal.Key.Type, signal.Reason));
        Assert.Contains("exit code 137 with rising restarts", signal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_oom_event_matched_to_the_pod_is_oom_evidence()
    {
        var pods = new[] { HealthyPod("web-1", 2), HealthyPod("web-2", 2) };
        var events = new[] { new NodeOomEvent("node-a", Clock.At(-30), "Memory cgroup out of memory: Killed process 7 (app) pod: web-1 namespace: shop") };
        var signal = Assert.Single(Detect(Stable(pods), events: events).Result.Confirmed);
        Assert.Equal(("NodeOOMKilling", 1), (signal.Reason, signal.AffectedPods.Count));
    }

    [Fact]
    public void The_reason_names_the_most_direct_evidence_when_several_agree()
    {
        var pods = new[] { OomKilled("web-1", 2, Clock.At(-5)), HealthyPod("web-2", 2) };
        var events = new[] { new NodeOomEvent("node-a", Clock.At(-30), "out of memory: Killed process 7 (app) pod: web-2 namespace: shop") };
        var signal = Assert.Single(Detect(Stable(pods), events: events).Result.Confirmed);
        Assert.Equal("OOMKilled", signal.Reason);
        Assert.Equal(["web-1", "web-2"], signal.AffectedPods);
        Assert.Contains("1 by container status OOMKilled, 1 by node OOMKilling event", signal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Restarts_rising_past_the_threshold_in_the_window_are_a_restart_storm()
    {
        var start = Detect(Stable(Restarting("web-1", 2), Restarting("web-2", 2)));
        var storm = Detect(Stable(Restarting("web-1", 7), Restarting("web-2", 3)), restarts: start.Restarts, now: Clock.At(300));
        var signal = Assert.Single(storm.Result.Confirmed);
        Assert.Equal((SignalType.RestartStorm, SignalPath.StableRevision), (signal.Key.Type, signal.Path));
        Assert.Equal(["web-1"], signal.AffectedPods);
        Assert.Contains("restarted at least 5 times in 10m0s", signal.Message, StringComparison.Ordinal);

        // Outside the window the same count is history, not a storm.
        var calm = Detect(Stable(Restarting("web-1", 7), Restarting("web-2", 3)), restarts: storm.Restarts, now: Clock.At(1000));
        Assert.DoesNotContain(calm.Result.Confirmed, s => s.Key.Type == SignalType.RestartStorm);
    }

    [Fact]
    public void Oom_restarts_are_not_also_counted_as_a_storm()
    {
        var young = Pod("web-1", 2, true, new ContainerObservation("app", true, true, null, "OOMKilled", 137, Clock.At(-5), 9)) with { CreatedAt = Clock.At(-200) };
        var result = Detect(Stable(young)).Result;
        Assert.Equal([SignalType.OOMKilled], result.Confirmed.Select(s => s.Key.Type));
    }

    [Fact]
    public void One_pod_in_four_does_not_meet_the_default_share()
    {
        var result = Detect(Stable(OomKilled("web-1", 2, Clock.At(-5)), HealthyPod("web-2", 2), HealthyPod("web-3", 2), HealthyPod("web-4", 2))).Result;
        Assert.Empty(result.Confirmed);
        Assert.Empty(result.Pending);
    }

    [Fact]
    public void Hysteresis_holds_new_evidence_until_hold_for_and_keeps_its_start_across_calls()
    {
        var thresholds = DetectionThresholds.Default with { HoldFor = TimeSpan.FromSeconds(20) };
        var pods = new[] { HealthyPod("web-1", 2) };
        var events = new[] { new NodeOomEvent("node-a", Clock.At(-5), "out of memory: Killed process 7 (app) pod: web-1 namespace: shop") };
        var first = Detect(Stable(pods), thresholds, events: events);
        Assert.Equal(Clock.T0, Assert.Single(first.Result.Pending).FirstSeen);

        var second = Detect(Stable(pods), thresholds, first.Result.State, first.Restarts, Clock.At(25), events);
        Assert.Equal(Clock.T0, Assert.Single(second.Result.Confirmed).FirstSeen);
    }

    [Fact]
    public void The_rollout_detectors_signals_are_kept_so_this_is_a_superset()
    {
        var observed = new DetectionInput(RollingOut(3), [ReplicaSet(2, Clock.T0.AddDays(-3), replicas: 3), ReplicaSet(3, Clock.At(-60), replicas: 2, ready: 0)],
            [HealthyPod("old-1", 2), CrashLooping("new-1", 3), CrashLooping("new-2", 3)]);
        var rollout = RolloutFailureDetector.Detect(observed, NoHold, HysteresisState.Empty, Clock.T0);
        var extended = Detect(observed).Result;
        Assert.Equal(rollout.Confirmed, extended.Confirmed);
        Assert.Equal((rollout.RecentRollout, rollout.NewRevision), (extended.RecentRollout, extended.NewRevision));
    }

    [Fact]
    public void A_progress_deadline_stays_confirmed_without_hysteresis()
    {
        var deployment = Deployment(revision: 3, conditions: [Available, DeadlineExceeded(Clock.At(-1))]);
        var observed = new DetectionInput(deployment, [ReplicaSet(3, Clock.At(-700))], [HealthyPod("web-1", 3)]);
        Assert.Equal(SignalType.RolloutStuck, Assert.Single(Detect(observed, DetectionThresholds.Default).Result.Confirmed).Key.Type);
    }

    [Fact]
    public void Same_input_gives_the_same_result()
    {
        var observed = Stable(OomKilled("web-1", 2, Clock.At(-30)), HealthyPod("web-2", 2));
        var a = Detect(observed);
        var b = Detect(observed);
        Assert.Equal(a.Result.Confirmed, b.Result.Confirmed);
        Assert.Equal(a.Restarts, b.Restarts);
        Assert.Equal(a.Result.State, b.Result.State);
    }
}
