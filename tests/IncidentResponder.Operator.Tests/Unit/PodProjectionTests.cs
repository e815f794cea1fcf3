using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Informers;
using k8s.Models;

namespace IncidentResponder.Operator.Tests.Unit;

/// <summary>The cached pod keeps what detection reads, and shares the strings that repeat across a fleet.</summary>
public sealed class PodProjectionTests
{
    private static V1Pod Pod(string name, string replicaSet, string replicaSetUid) => new()
    {
        Metadata = new V1ObjectMeta
        {
            // Separate string instances, as two JSON documents deserialize them.
            Name = name,
            NamespaceProperty = new string("team-01".ToCharArray()),
            Uid = Guid.NewGuid().ToString(),
            Labels = new Dictionary<string, string> { ["pod-template-hash"] = "5d8f7c9b6d" },
            OwnerReferences = [new V1OwnerReference { ApiVersion = new string("apps/v1".ToCharArray()), Kind = new string("ReplicaSet".ToCharArray()), Name = replicaSet, Uid = replicaSetUid, Controller = true }],
        },
        Spec = new V1PodSpec { NodeName = new string("node-00042".ToCharArray()), Containers = [new V1Container { Name = "app" }] },
        Status = new V1PodStatus
        {
            Phase = new string("Running".ToCharArray()),
            ContainerStatuses = [new V1ContainerStatus { Name = new string("app".ToCharArray()), Ready = false, RestartCount = 3, State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = new string("CrashLoopBackOff".ToCharArray()) } } }],
        },
    };

    [Fact]
    public void Pods_projected_through_one_pool_share_their_namespace_node_phase_owner_kind_and_container_strings()
    {
        var project = Projections.Pod(new StringPool());

        var first = project(Pod("app-1-a", "app-1", "uid-1"));
        var second = project(Pod("app-1-b", "app-1", "uid-1"));

        Assert.Same(first.Namespace, second.Namespace);
        Assert.Same(first.NodeName, second.NodeName);
        Assert.Same(first.Observation.Phase, second.Observation.Phase);
        Assert.Same(first.OwnerReferences[0].Kind, second.OwnerReferences[0].Kind);
        Assert.Same(first.OwnerReferences[0].ApiVersion, second.OwnerReferences[0].ApiVersion);
        Assert.Same(first.Observation.Containers[0].Name, second.Observation.Containers[0].Name);
        Assert.Same(first.Observation.Containers[0].WaitingReason, second.Observation.Containers[0].WaitingReason);
    }

    [Fact]
    public void The_projection_keeps_what_detection_reads()
    {
        var pod = Projections.Pod(new StringPool())(Pod("app-1-a", "app-1", "uid-1"));

        Assert.Equal(("team-01", "app-1-a", "node-00042"), (pod.Namespace, pod.Name, pod.NodeName));
        Assert.Equal("app-1", pod.Observation.OwnerReplicaSet);
        Assert.Equal("5d8f7c9b6d", pod.Observation.PodTemplateHash);
        Assert.Equal("Running", pod.Observation.Phase);
        var container = Assert.Single(pod.Observation.Containers);
        Assert.Equal(("app", "CrashLoopBackOff", 3), (container.Name, container.WaitingReason, container.RestartCount));
    }
}
