using IncidentResponder.Core.Exhaustion;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Tests.Fixtures;
using static IncidentResponder.Core.Tests.Fixtures.Cluster;

namespace IncidentResponder.Core.Tests.Exhaustion;

public sealed class NodeOomCorrelatorTests
{
    private const string Uid1 = "5d1c0e2a-6f1e-4a5b-9c3d-0123456789ab";

    private static PodObservation Killed(string name, DateTimeOffset at, int exitCode = 137, string reason = "Error") =>
        Pod(name, 2, true, new ContainerObservation("app", true, true, null, reason, exitCode, at, 3));

    private static readonly PodPlacement[] Placements = [new("web-1", Uid1, "node-a"), new("web-2", "uid-2", "node-a"), new("web-3", "uid-3", "node-b")];

    private static IReadOnlyList<NodeOomMatch> Correlate(PodObservation[] pods, params NodeOomEvent[] events) =>
        NodeOomCorrelator.Correlate(Namespace, events, pods, Placements, TimeSpan.FromSeconds(30));

    [Fact]
    public void A_pod_named_in_the_event_is_matched_by_name()
    {
        var match = Assert.Single(Correlate([HealthyPod("web-1", 2)],
            new NodeOomEvent("node-a", Clock.T0, "Memory cgroup out of memory: Killed process 1 (app) pod: web-1 namespace: shop")));
        Assert.Equal(("web-1", "pod named in the event"), (match.Pod, match.How));
    }

    [Fact]
    public void A_pod_of_another_namespace_with_the_same_name_is_not_ours() =>
        Assert.Empty(Correlate([HealthyPod("web-1", 2)],
            new NodeOomEvent("node-a", Clock.T0, "Memory cgroup out of memory: Killed process 1 (app) pod: web-1 namespace: billing")));

    [Fact]
    public void A_memcg_path_is_matched_by_pod_uid()
    {
        var match = Assert.Single(Correlate([HealthyPod("web-1", 2)],
            new NodeOomEvent("node-a", Clock.T0, $"oom-kill:constraint=CONSTRAINT_MEMCG,task_memcg=/kubepods/burstable/pod{Uid1}/c1,task=app,pid=9")));
        Assert.Equal("web-1", match.Pod);
    }

    [Fact]
    public void A_plain_kernel_line_is_matched_by_node_and_the_time_a_container_died_with_137()
    {
        var pods = new[] { Killed("web-1", Clock.At(-10)), HealthyPod("web-2", 2), Killed("web-3", Clock.At(-10)) };
        var match = Assert.Single(Correlate(pods, new NodeOomEvent("node-a", Clock.At(-12), "Memory cgroup out of memory: Killed process 5 (app) total-vm:1kB")));
        Assert.Equal("web-1", match.Pod);
        Assert.Contains("node-a", match.How, StringComparison.Ordinal);
    }

    [Fact]
    public void Time_matching_outside_the_tolerance_or_between_two_candidates_claims_nothing()
    {
        const string line = "Memory cgroup out of memory: Killed process 5 (app) total-vm:1kB";
        Assert.Empty(Correlate([Killed("web-1", Clock.At(-100))], new NodeOomEvent("node-a", Clock.T0, line)));
        Assert.Empty(Correlate([Killed("web-1", Clock.T0), Killed("web-2", Clock.T0)], new NodeOomEvent("node-a", Clock.T0, line)));
    }

    [Fact]
    public void Events_that_are_not_oom_kills_are_ignored() =>
        Assert.Empty(Correlate([Killed("web-1", Clock.T0)], new NodeOomEvent("node-a", Clock.T0, "NodeHasSufficientMemory")));
}
