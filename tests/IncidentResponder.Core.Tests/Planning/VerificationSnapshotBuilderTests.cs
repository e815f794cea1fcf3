using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Planning;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Tests.Fixtures;
using static IncidentResponder.Core.Tests.Fixtures.Cluster;

namespace IncidentResponder.Core.Tests.Planning;

public sealed class VerificationSnapshotBuilderTests
{
    private static VerificationSnapshot Build(DetectionInput input) =>
        VerificationSnapshotBuilder.Build(input, RolloutFailureDetector.Detect(input, DetectionThresholds.Default with { HoldFor = TimeSpan.Zero }, HysteresisState.Empty, Clock.T0));

    [Fact]
    public void Healthy_after_a_rollback_passes_every_check_even_while_old_failing_pods_drain()
    {
        // Revision 2's template now serves as revision 4; two pods of failing revision 3 are still terminating.
        var input = new DetectionInput(Deployment(revision: 4), [ReplicaSet(2, Clock.T0.AddDays(-3)) with { Revision = 4 }, ReplicaSet(3, Clock.At(-60), 0, 0)],
            [.. Enumerable.Range(1, 4).Select(i => HealthyPod($"p{i}", 2)), CrashLooping("bad-1", 3), CrashLooping("bad-2", 3)]);
        Assert.Equal(new VerificationSnapshot(true, true, false), Build(input));
    }

    [Fact]
    public void A_rollout_still_failing_fails_every_check()
    {
        var input = new DetectionInput(RollingOut(), [ReplicaSet(2, Clock.T0.AddDays(-3), 2, 2), ReplicaSet(3, Clock.At(-60), 2, 0)],
            [HealthyPod("good-1", 2), HealthyPod("good-2", 2), CrashLooping("bad-1", 3), CrashLooping("bad-2", 3)]);
        Assert.Equal(new VerificationSnapshot(false, false, true), Build(input));
    }

    [Fact]
    public void An_alert_signal_Alertmanager_has_not_resolved_is_a_signal_present_on_healthy_pods()
    {
        var input = new DetectionInput(Deployment(revision: 2), [ReplicaSet(2, Clock.T0.AddDays(-3))], [.. Enumerable.Range(1, 4).Select(i => HealthyPod($"p{i}", 2))]);
        var detection = RolloutFailureDetector.Detect(input, DetectionThresholds.Default with { HoldFor = TimeSpan.Zero }, HysteresisState.Empty, Clock.T0);
        Api.V1Alpha1.IncidentStatus WithAlert(bool? cleared) => new()
        {
            Signals = [new Api.V1Alpha1.SignalRecord { Fingerprint = "alert/abc", Type = Api.V1Alpha1.SignalType.DependencyFailure, Cleared = cleared }],
        };

        Assert.True(VerificationSnapshotBuilder.Build(input, detection, WithAlert(cleared: null)).SignalPresent);
        Assert.False(VerificationSnapshotBuilder.Build(input, detection, WithAlert(cleared: true)).SignalPresent);
    }

    [Fact]
    public void Too_few_ready_pods_of_the_current_revision_is_not_new_pods_ready()
    {
        var input = new DetectionInput(Deployment(revision: 2), [ReplicaSet(2, Clock.T0.AddDays(-3))], [HealthyPod("p1", 2), HealthyPod("p2", 2)]);
        Assert.False(Build(input).NewPodsReady);
    }
}
