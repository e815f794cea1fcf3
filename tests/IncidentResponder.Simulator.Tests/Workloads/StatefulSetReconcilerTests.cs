using System.Globalization;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.Storage;
using k8s.Models;

namespace IncidentResponder.Simulator.Tests.Workloads;

/// <summary>The statefulset controller as a pure function: pod management policies and the revision history limit.</summary>
public sealed class StatefulSetReconcilerTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static JsonObject Set(string policy, int replicas, int historyLimit = 10, string image = "nginx:1.25") => JsonNode.Parse("""
        {"apiVersion":"apps/v1","kind":"StatefulSet",
         "metadata":{"name":"db","namespace":"default","uid":"uid-db","generation":1},
         "spec":{"replicas":@REPLICAS,"podManagementPolicy":"@POLICY","revisionHistoryLimit":@HISTORYLIMIT,
                 "selector":{"matchLabels":{"app":"db"}},"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":0}},
                 "template":{"metadata":{"labels":{"app":"db"}},"spec":{"containers":[{"name":"db","image":"@IMAGE"}]}}}}
        """.Replace("@REPLICAS", replicas.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@POLICY", policy, StringComparison.Ordinal)
            .Replace("@HISTORYLIMIT", historyLimit.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@IMAGE", image, StringComparison.Ordinal))!.AsObject();

    private static IEnumerable<string> Created(SyncResult result, ResourceType type) =>
        result.Writes.OfType<CreateObject>().Where(w => w.Type == type).Select(w => w.Object.Metadata.Name);

    [Fact]
    public void Ordered_ready_creates_one_pod_and_parallel_creates_them_all()
    {
        var ordered = StatefulSetReconciler.Reconcile(Set("OrderedReady", 3), [], [], [], Now);
        Assert.Equal(["db-0"], Created(ordered, BuiltinResources.Pods));

        var parallel = StatefulSetReconciler.Reconcile(Set("Parallel", 3), [], [], [], Now);
        Assert.Equal(["db-0", "db-1", "db-2"], Created(parallel, BuiltinResources.Pods));
        Assert.Single(Created(parallel, BuiltinResources.ControllerRevisions));
    }

    [Fact]
    public void Ordered_ready_waits_for_a_pod_that_is_not_ready_before_creating_the_next()
    {
        var set = Set("OrderedReady", 2);
        var first = StatefulSetReconciler.Reconcile(set, [], [], [], Now);
        var revision = KubeObjects.ToJson(first.Writes.OfType<CreateObject>().Single(w => w.Type == BuiltinResources.ControllerRevisions).Object);
        var pod = (V1Pod)first.Writes.OfType<CreateObject>().Single(w => w.Type == BuiltinResources.Pods).Object;
        pod.Metadata.Uid = "uid-db-0";
        pod.Status = new V1PodStatus { Phase = "Running", Conditions = [new V1PodCondition { Type = "Ready", Status = "False" }] };

        var waiting = StatefulSetReconciler.Reconcile(set, [pod], [revision], [], Now);
        Assert.Empty(Created(waiting, BuiltinResources.Pods));

        pod.Status.Conditions = [new V1PodCondition { Type = "Ready", Status = "True", LastTransitionTime = Now.UtcDateTime }];
        var next = StatefulSetReconciler.Reconcile(set, [pod], [revision], [], Now);
        Assert.Equal(["db-1"], Created(next, BuiltinResources.Pods));
    }

    [Fact]
    public void Revisions_beyond_the_history_limit_are_deleted_oldest_first()
    {
        var revisions = new List<JsonObject>();
        foreach (var (image, number) in new[] { ("nginx:1", 1), ("nginx:2", 2), ("nginx:3", 3) })
        {
            var made = StatefulSetReconciler.Reconcile(Set("Parallel", 0, image: image), [], [], [], Now);
            var revision = KubeObjects.ToJson(made.Writes.OfType<CreateObject>().Single(w => w.Type == BuiltinResources.ControllerRevisions).Object);
            revision["revision"] = number;
            revisions.Add(revision);
        }

        var result = StatefulSetReconciler.Reconcile(Set("Parallel", 0, historyLimit: 1, image: "nginx:4"), [], revisions, [], Now);
        var deleted = result.Writes.OfType<DeleteObject>().Select(d => d.Name).ToList();
        Assert.Equal([Name(revisions[0]), Name(revisions[1])], deleted);
        Assert.Equal(4, ((V1ControllerRevision)result.Writes.OfType<CreateObject>().Single().Object).Revision);
    }

    private static string Name(JsonObject obj) => obj["metadata"]!["name"]!.GetValue<string>();
}
