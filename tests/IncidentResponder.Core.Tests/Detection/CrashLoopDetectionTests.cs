using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Tests.Fixtures;

namespace IncidentResponder.Core.Tests.Detection;

public sealed class CrashLoopDetectionTests
{
    private static ContainerObservation Container(bool running, bool ready, string? waiting, string? lastReason, int? exitCode, double? finishedSecondsAgo, int restarts) =>
        new("app", running, ready, waiting, lastReason, exitCode, finishedSecondsAgo is { } ago ? Clock.At(-ago) : null, restarts);

    public static TheoryData<string, ContainerObservation, bool> Cases() => new()
    {
        { "waiting in CrashLoopBackOff", Container(false, false, "CrashLoopBackOff", "Error", 1, 5, 1), true },
        { "running between back-offs, ready (no readiness probe)", Container(true, true, null, "Error", 1, 12, 3), true },
        { "running between back-offs, not ready yet", Container(true, false, null, "Error", 1, 12, 3), true },
        { "dead after a failure, not restarted yet", Container(false, false, null, "Error", 1, 0, 2), true },
        { "killed by a failing liveness probe (137, reason Error)", Container(true, true, null, "Error", 137, 30, 4), true },
        { "failure known only by its reason", Container(true, true, null, "Error", null, 30, 4), true },
        { "last failure just inside the kubelet's max back-off", Container(true, true, null, "Error", 1, 300, 6), true },
        { "single crash long ago, running and ready since", Container(true, true, null, "Error", 1, 3600, 1), false },
        { "several crashes long ago, running and ready since", Container(true, true, null, "Error", 1, 301, 6), false },
        { "single recent crash: restarted at once, not a loop", Container(true, true, null, "Error", 1, 5, 1), false },
        { "clean exits (exit code 0) are not failures", Container(true, true, null, "Completed", 0, 5, 4), false },
        { "OOM kills are the OOMKilled signal's", Container(true, true, null, "OOMKilled", 137, 5, 4), false },
        { "failure time unknown", Container(true, true, null, "Error", 1, null, 4), false },
        { "never terminated", Container(true, true, null, null, null, null, 0), false },
        { "an image pull failure is diagnosed by its own reason", Container(false, false, "ErrImagePull", "Error", 137, 5, 3), false },
        { "an ordinary start step is not a loop by itself", Container(false, false, "ContainerCreating", "Error", 1, 5, 3), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Counts_a_loop_through_its_brief_runs(string because, ContainerObservation container, bool expected) =>
        Assert.True(expected == CrashLoopDetection.IsCrashLooping(container, Clock.T0, CrashLoopEvidence.WaitingOrRecentFailure), because);

    [Fact]
    public void Waiting_only_does_not_count_the_brief_runs() =>
        Assert.False(CrashLoopDetection.IsCrashLooping(Container(true, true, null, "Error", 1, 12, 3), Clock.T0, CrashLoopEvidence.WaitingOnly));
}
