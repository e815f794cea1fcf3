using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.Kubelet;
using k8s.Models;

namespace IncidentResponder.Simulator.Tests.Kubelet;

public sealed class KubeletSchedulerAndReplicaSetTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static V1ReplicaSet ReplicaSet(int replicas, int minReadySeconds = 0) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web-7d4b9c", NamespaceProperty = "shop", Uid = "rs-uid", Generation = 3, ResourceVersion = "9" },
        Spec = new V1ReplicaSetSpec
        {
            Replicas = replicas,
            MinReadySeconds = minReadySeconds,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web", ["pod-template-hash"] = "7d4b9c" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta
                {
                    Labels = new Dictionary<string, string> { ["app"] = "web", ["pod-template-hash"] = "7d4b9c" },
                    Annotations = new Dictionary<string, string> { [FaultSpec.FaultAnnotation] = "crashloop" },
                },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "nginx:1.25" }] },
            },
        },
    };

    private static V1Pod OwnedPod(V1ReplicaSet rs, string suffix, string phase, bool ready, DateTimeOffset created, DateTimeOffset? readySince = null, string? node = "sim-node-1")
    {
        var pod = ReplicaSetReconciler.NewPod(rs, suffix);
        pod.Metadata.Uid = "uid-" + suffix;
        pod.Metadata.CreationTimestamp = created.UtcDateTime;
        pod.Spec.NodeName = node;
        pod.Status = new V1PodStatus
        {
            Phase = phase,
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = (readySince ?? created).UtcDateTime }],
        };
        return pod;
    }

    [Fact]
    public void Scaling_up_creates_named_owned_pods_carrying_the_template_annotations()
    {
        var suffixes = new Queue<string>(["bcdfg", "hjklm"]);
        var result = ReplicaSetReconciler.Reconcile(ReplicaSet(2), [], T0, suffixes.Dequeue);

        var pods = result.Writes.OfType<CreateObject>().Select(c => Assert.IsType<V1Pod>(c.Object)).ToList();
        Assert.Equal(["web-7d4b9c-bcdfg", "web-7d4b9c-hjklm"], pods.Select(p => p.Metadata.Name));
        Assert.All(pods, pod =>
        {
            Assert.Equal("web-7d4b9c-", pod.Metadata.GenerateName);
            Assert.Equal("crashloop", pod.Metadata.Annotations[FaultSpec.FaultAnnotation]);
            Assert.Equal("7d4b9c", pod.Metadata.Labels["pod-template-hash"]);
            var owner = Assert.Single(pod.Metadata.OwnerReferences);
            Assert.Equal(("apps/v1", "ReplicaSet", "web-7d4b9c", "rs-uid", true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller));
        });
        Assert.Equal(["Created pod: web-7d4b9c-bcdfg", "Created pod: web-7d4b9c-hjklm"],
            result.Writes.OfType<RecordEvent>().Select(e => e.Event.Message));
        Assert.All(result.Writes.OfType<RecordEvent>(), e => Assert.Equal(("SuccessfulCreate", "replicaset-controller"), (e.Event.Reason, e.Event.Component)));
    }

    [Fact]
    public void Scaling_down_deletes_unscheduled_then_pending_then_not_ready_then_newest_first()
    {
        var rs = ReplicaSet(1);
        var pods = new[]
        {
            OwnedPod(rs, "ready-old", "Running", ready: true, T0),
            OwnedPod(rs, "ready-new", "Running", ready: true, T0.AddSeconds(10)),
            OwnedPod(rs, "not-ready", "Running", ready: false, T0),
            OwnedPod(rs, "pending", "Pending", ready: false, T0),
            OwnedPod(rs, "unscheduled", "Pending", ready: false, T0, node: null),
        };

        var result = ReplicaSetReconciler.Reconcile(rs, pods, T0.AddMinutes(1), () => "x");

        Assert.Equal(
            ["web-7d4b9c-unscheduled", "web-7d4b9c-pending", "web-7d4b9c-not-ready", "web-7d4b9c-ready-new"],
            result.Writes.OfType<DeleteObject>().Select(d => d.Name));
        Assert.Contains(result.Writes.OfType<RecordEvent>(), e => e.Event.Reason == "SuccessfulDelete" && e.Event.Message == "Deleted pod: web-7d4b9c-pending");
    }

    [Fact]
    public void Status_counts_ready_and_available_pods_honouring_min_ready_seconds()
    {
        var rs = ReplicaSet(3, minReadySeconds: 30);
        var now = T0.AddMinutes(5);
        var pods = new List<V1Pod>
        {
            OwnedPod(rs, "long-ready", "Running", ready: true, T0),
            OwnedPod(rs, "just-ready", "Running", ready: true, T0, readySince: now.AddSeconds(-10)),
            OwnedPod(rs, "crashing", "Running", ready: false, T0),
            OwnedPod(ReplicaSet(1), "someone-else", "Running", ready: true, T0),
        };
        pods[3].Metadata.OwnerReferences[0].Uid = "other-rs";
        var terminating = OwnedPod(rs, "terminating", "Running", ready: true, T0);
        terminating.Metadata.DeletionTimestamp = now.UtcDateTime;
        pods.Add(terminating);

        var result = ReplicaSetReconciler.Reconcile(rs, pods, now, () => "x");

        var status = Assert.IsType<V1ReplicaSet>(Assert.Single(result.Writes.OfType<UpdateStatus>()).Object).Status;
        Assert.Equal((3, 3, 2, 1, 3L), (status.Replicas, status.FullyLabeledReplicas ?? 0, status.ReadyReplicas ?? 0, status.AvailableReplicas ?? 0, status.ObservedGeneration ?? 0));
        Assert.Empty(result.Writes.OfType<CreateObject>());
        Assert.Equal(TimeSpan.FromSeconds(21), result.RequeueAfter);
    }

    [Fact]
    public void The_scheduler_binds_to_the_least_loaded_ready_node_and_says_so()
    {
        var nodes = new[] { SimulatedNodes.Create(1, T0), SimulatedNodes.Create(2, T0), SimulatedNodes.Create(3, T0) };
        nodes[2].Spec.Unschedulable = true;
        var pod = ReplicaSetReconciler.NewPod(ReplicaSet(1), "abcde");
        pod.Metadata.Uid = "p1";
        var load = new Dictionary<string, int> { ["sim-node-1"] = 4, ["sim-node-2"] = 1 };

        var writes = PodScheduler.Schedule(pod, nodes, load, T0);

        Assert.Equal("sim-node-2", Assert.IsType<V1Pod>(Assert.IsType<UpdateObject>(writes[0]).Object).Spec.NodeName);
        var scheduled = Assert.IsType<V1Pod>(Assert.IsType<UpdateStatus>(writes[1]).Object);
        Assert.Equal("True", PodConditions.Find(scheduled, "PodScheduled")!.Status);
        var message = Assert.IsType<RecordEvent>(writes[2]).Event;
        Assert.Equal(("Scheduled", "default-scheduler", "Successfully assigned shop/web-7d4b9c-abcde to sim-node-2"), (message.Reason, message.Component, message.Message));
    }

    [Fact]
    public void A_pod_no_node_fits_is_reported_unschedulable_once()
    {
        var pod = ReplicaSetReconciler.NewPod(ReplicaSet(1), "abcde");
        pod.Spec.NodeSelector = new Dictionary<string, string> { ["disk"] = "ssd" };
        var writes = PodScheduler.Schedule(pod, [SimulatedNodes.Create(1, T0)], new Dictionary<string, int>(), T0);
        var pending = Assert.IsType<V1Pod>(Assert.IsType<UpdateStatus>(writes[0]).Object);
        Assert.Equal(("False", "Unschedulable"), (PodConditions.Find(pending, "PodScheduled")!.Status, PodConditions.Find(pending, "PodScheduled")!.Reason));
        Assert.Equal("FailedScheduling", Assert.IsType<RecordEvent>(writes[1]).Event.Reason);

        Assert.Empty(PodScheduler.Schedule(pending, [SimulatedNodes.Create(1, T0)], new Dictionary<string, int>(), T0.AddSeconds(1)));
    }
}
