using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.Kubelet;
using IncidentResponder.Simulator.Storage;
using k8s.Models;

namespace IncidentResponder.Simulator.Tests.Workloads;

/// <summary>The daemonset controller as a pure function: placement and the surge variant of the rolling update.</summary>
public sealed class DaemonSetReconcilerTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static int _suffix;

    private static readonly List<V1Node> Nodes = [.. Enumerable.Range(1, 3).Select(i => SimulatedNodes.Create(i, Now))];

    private static JsonObject Set(string image, string rolling) => JsonNode.Parse("""
        {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"agent","namespace":"default","uid":"uid-agent","generation":1},
         "spec":{"selector":{"matchLabels":{"app":"agent"}},"updateStrategy":{"type":"RollingUpdate","rollingUpdate":ROLLING},
                 "template":{"metadata":{"labels":{"app":"agent"}},"spec":{"containers":[{"name":"agent","image":"IMAGE"}]}}}}
        """.Replace("ROLLING", rolling, StringComparison.Ordinal).Replace("IMAGE", image, StringComparison.Ordinal))!.AsObject();

    private static SyncResult Reconcile(JsonObject set, IReadOnlyList<V1Pod> pods) =>
        DaemonSetReconciler.Reconcile(set, Nodes, pods, [], Now, () => $"p{Interlocked.Increment(ref _suffix)}");

    private static List<V1Pod> Running(SyncResult result) =>
        [.. result.Writes.OfType<CreateObject>().Select(w => w.Object).OfType<V1Pod>().Select(pod =>
        {
            pod.Metadata.Uid = pod.Metadata.Name;
            pod.Metadata.CreationTimestamp = Now.UtcDateTime;
            pod.Status = new V1PodStatus { Phase = "Running", Conditions = [new V1PodCondition { Type = "Ready", Status = "True", LastTransitionTime = Now.AddMinutes(-1).UtcDateTime }] };
            return pod;
        })];

    [Fact]
    public void Each_ready_node_gets_one_pod_bound_to_it()
    {
        var pods = Running(Reconcile(Set("a:1", """{"maxUnavailable":1,"maxSurge":0}"""), []));
        Assert.Equal(["sim-node-1", "sim-node-2", "sim-node-3"], pods.Select(p => p.Spec.NodeName));
        Assert.DoesNotContain(Reconcile(Set("a:1", """{"maxUnavailable":1,"maxSurge":0}"""), pods).Writes.OfType<CreateObject>(), w => w.Type == BuiltinResources.Pods);
    }

    [Fact]
    public void An_update_deletes_at_most_max_unavailable_pods_or_surges_one_new_pod_beside_the_old()
    {
        var pods = Running(Reconcile(Set("a:1", """{"maxUnavailable":1,"maxSurge":0}"""), []));

        var unavailable = Reconcile(Set("a:2", """{"maxUnavailable":2,"maxSurge":0}"""), pods);
        Assert.Equal(2, unavailable.Writes.OfType<DeleteObject>().Count(d => d.Type == BuiltinResources.Pods));

        var surge = Reconcile(Set("a:2", """{"maxUnavailable":0,"maxSurge":1}"""), pods);
        Assert.DoesNotContain(surge.Writes.OfType<DeleteObject>(), d => d.Type == BuiltinResources.Pods);
        var created = Assert.Single(surge.Writes.OfType<CreateObject>(), w => w.Type == BuiltinResources.Pods);
        Assert.Equal("a:2", ((V1Pod)created.Object).Spec.Containers[0].Image);
    }
}
