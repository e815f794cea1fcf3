using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Tests.Fixtures;
using static IncidentResponder.Core.Tests.Fixtures.Cluster;

namespace IncidentResponder.Core.Tests.Detection;

/// <summary>
/// The hold must survive a failing rollout's pods flickering between their failure states: a crash loop between
/// CrashLoopBackOff and brief runs, an image pull between ErrImagePull and ImagePullBackOff.
/// </summary>
public sealed class CrashLoopHysteresisTests
{
    private static readonly DetectionThresholds Thresholds = DetectionThresholds.Default with { MinAffectedPods = 2, HoldFor = TimeSpan.FromSeconds(20) };

    private static readonly ReplicaSetObservation Old = ReplicaSet(2, Clock.T0.AddDays(-3), replicas: 2, ready: 2);
    private static readonly ReplicaSetObservation New = ReplicaSet(3, Clock.At(-120), replicas: 3, ready: 0);

    /// <summary>A crash-looping container briefly running again, <paramref name="secondsSinceCrash"/> after its last failure.</summary>
    private static PodObservation RunningBetweenBackOffs(string name, DateTimeOffset now, double secondsSinceCrash, int restarts = 3) =>
        Pod(name, 3, true, new ContainerObservation("app", true, true, null, "Error", 1, now.AddSeconds(-secondsSinceCrash), restarts));

    private static PodObservation BackingOff(string name, DateTimeOffset now) =>
        Pod(name, 3, false, new ContainerObservation("app", false, false, "CrashLoopBackOff", "Error", 1, now.AddSeconds(-1), 3));

    private static PodObservation PullFailing(string name, string reason) =>
        Pod(name, 3, false, new ContainerObservation("app", false, false, reason, null, null, null, 0));

    private static DetectionInput Rollout(DeploymentObservation? deployment = null, params PodObservation[] newPods) =>
        new(deployment ?? RollingOut(), [Old, New], [HealthyPod("old-1", 2), HealthyPod("old-2", 2), .. newPods]);

    /// <summary>Observations every 5 s; at each one a different pod is briefly running between back-offs.</summary>
    public static TheoryData<string, Func<int, DateTimeOffset, PodObservation[]>> Flickers() => new()
    {
        {
            "crash loop: one pod at a time briefly running",
            (step, now) => [.. Enumerable.Range(0, 3).Select(i => i == step % 3
                ? RunningBetweenBackOffs($"new-{i}", now, 2 + step)
                : BackingOff($"new-{i}", now))]
        },
        {
            "crash loop: every pod briefly running at once",
            (step, now) => [.. Enumerable.Range(0, 3).Select(i => step % 2 == 1
                ? RunningBetweenBackOffs($"new-{i}", now, 3)
                : BackingOff($"new-{i}", now))]
        },
        {
            "image pull: ErrImagePull and ImagePullBackOff alternate",
            (step, now) => [.. Enumerable.Range(0, 3).Select(i => PullFailing($"new-{i}", (step + i) % 2 == 0 ? "ErrImagePull" : "ImagePullBackOff"))]
        },
    };

    [Theory]
    [MemberData(nameof(Flickers))]
    public void A_flickering_failure_holds_from_its_first_sight(string because, Func<int, DateTimeOffset, PodObservation[]> podsAt)
    {
        var state = HysteresisState.Empty;
        DetectionResult? result = null;
        for (var step = 0; step <= 4; step++)
        {
            var now = Clock.At(step * 5);
            result = RolloutFailureDetector.Detect(Rollout(null, podsAt(step, now)), Thresholds, state, now);
            Assert.True(result.Confirmed.Count + result.Pending.Count == 1, $"{because}: one signal at step {step}");
            Assert.Equal(3, result.Confirmed.Concat(result.Pending).Single().AffectedPods.Count);
            state = result.State;
        }

        var signal = Assert.Single(result!.RolloutSignals);
        Assert.True(Clock.T0 == signal.FirstSeen, because);
    }

    [Fact]
    public void Pods_that_crashed_once_long_ago_and_run_since_open_nothing()
    {
        var input = Rollout(null,
            RunningBetweenBackOffs("new-0", Clock.T0, 3600, restarts: 1),
            RunningBetweenBackOffs("new-1", Clock.T0, 3600, restarts: 1),
            RunningBetweenBackOffs("new-2", Clock.T0, 3600, restarts: 1));
        var result = RolloutFailureDetector.Detect(input, Thresholds with { HoldFor = TimeSpan.Zero }, HysteresisState.Empty, Clock.T0);
        Assert.Empty(result.Confirmed);
        Assert.Empty(result.Pending);
    }

    [Fact]
    public void One_crash_looping_pod_of_three_opens_nothing_even_while_it_runs_between_back_offs()
    {
        var state = HysteresisState.Empty;
        for (var t = 0; t <= 120; t += 5)
        {
            var now = Clock.At(t);
            var flaky = t % 10 == 0 ? BackingOff("new-0", now) : RunningBetweenBackOffs("new-0", now, 2);
            var result = RolloutFailureDetector.Detect(Rollout(null, flaky, HealthyPod("new-1", 3), HealthyPod("new-2", 3)), Thresholds, state, now);
            Assert.Empty(result.Confirmed);
            Assert.Empty(result.Pending);
            state = result.State;
        }
    }

    [Fact]
    public void On_a_stable_revision_only_the_waiting_state_counts()
    {
        // Restart counts of old pods accumulate over days; the exhaustion path judges them by restarts rising.
        var settled = Deployment(ready: 4, available: 4, revision: 2);
        var pods = Enumerable.Range(0, 4).Select(i => Pod($"web-{i}", 2, true,
            new ContainerObservation("app", true, true, null, "Error", 1, Clock.At(-10), 7))).ToArray();
        var input = new DetectionInput(settled, [ReplicaSet(2, Clock.T0.AddDays(-3))], pods);
        var result = RolloutFailureDetector.Detect(input, Thresholds with { HoldFor = TimeSpan.Zero }, HysteresisState.Empty, Clock.T0);
        Assert.DoesNotContain(result.Confirmed, s => s.Key.Type == SignalType.CrashLoop);
    }

    [Fact]
    public void The_reason_stays_CrashLoopBackOff_while_pods_run_between_back_offs()
    {
        var input = Rollout(null, RunningBetweenBackOffs("new-0", Clock.T0, 3), RunningBetweenBackOffs("new-1", Clock.T0, 3), BackingOff("new-2", Clock.T0));
        var signal = Assert.Single(RolloutFailureDetector.Detect(input, Thresholds with { HoldFor = TimeSpan.Zero }, HysteresisState.Empty, Clock.T0).RolloutSignals);
        Assert.Equal((SignalType.CrashLoop, "CrashLoopBackOff", "3/3 pods of revision 3 (web-h3) show CrashLoopBackOff"),
            (signal.Key.Type, signal.Reason, signal.Message));
    }
}
