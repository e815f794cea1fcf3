using IncidentResponder.Simulator;
using IncidentResponder.Simulator.Kubelet;
using k8s;
using k8s.Models;

namespace IncidentResponder.Operator.Tests.Support;

/// <summary>How a scenario's StatefulSet is built: each knob is one of the behaviours the scenarios tell apart.</summary>
internal sealed record StatefulSetShape
{
    public int Replicas { get; init; } = 3;

    /// <summary>A readiness probe: under OrderedReady a crash-looping pod then blocks the rollout (and the revert).</summary>
    public bool ReadinessProbe { get; init; }

    public bool OnDelete { get; init; }

    public bool VolumeClaims { get; init; }

    /// <summary>A memory limit on the container (the exhaustion scenarios raise it).</summary>
    public string? MemoryLimit { get; init; }
}

/// <summary>StatefulSets and DaemonSets for the workload scenarios, and what the operator did to them.</summary>
internal static class WorkloadManifests
{
    public static readonly string[] ThreeNodes = ["sim-node-1", "sim-node-2", "sim-node-3"];

    // Longer than the simulated crash: a crash-looping pod is never Ready, so OrderedReady and maxUnavailable wait on it.
    private const string Probe = """

                readinessProbe:
                  httpGet: {path: /, port: 80}
                  initialDelaySeconds: 10
        """;

    /// <summary>Deployment web whose first revision never becomes ready: a rollback to it cannot pass verification.</summary>
    public const string UnreadyWeb = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels: {app: web}
        spec:
          replicas: 1
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
              annotations: {sim.incidentresponder.dev/fault: unready}
            spec:
              containers:
                - {name: nginx, image: "nginx:1.25"}
        """;

    public static string StatefulSet(string name, StatefulSetShape shape) => $$"""
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: {{name}}
          labels: {app: {{name}}}
        spec:
          serviceName: {{name}}
          replicas: {{shape.Replicas}}
          selector:
            matchLabels: {app: {{name}}}{{(shape.OnDelete ? "\n  updateStrategy: {type: OnDelete}" : string.Empty)}}
          template:
            metadata:
              labels: {app: {{name}}}
            spec:
              containers:
              - name: nginx
                image: nginx:1.25{{(shape.ReadinessProbe ? Probe : string.Empty)}}{{(shape.MemoryLimit is { } limit ? $"\n        resources: {{limits: {{memory: {limit}}}, requests: {{memory: {limit}}}}}" : string.Empty)}}
        {{(shape.VolumeClaims ? VolumeClaimTemplates : string.Empty)}}
        """;

    private const string VolumeClaimTemplates = """
          volumeClaimTemplates:
          - metadata: {name: data}
            spec:
              accessModes: [ReadWriteOnce]
              resources: {requests: {storage: 1Gi}}
        """;

    public static string DaemonSet(string name) => $$"""
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: {{name}}
          labels: {app: {{name}}}
        spec:
          selector:
            matchLabels: {app: {{name}}}
          template:
            metadata:
              labels: {app: {{name}}}
            spec:
              containers:
              - name: nginx
                image: nginx:1.25{{Probe}}
        """;

    /// <summary>Applies the workload and waits until it has rolled out.</summary>
    public static async Task CreateWorkloadAsync(this OperatorCluster cluster, string resource, string name, string yaml)
    {
        (await cluster.Kubectl.ApplyAsync(yaml)).ShouldSucceed();
        (await cluster.Kubectl.RunAsync("rollout", "status", $"{resource}/{name}", "--timeout=60s")).ShouldSucceed();
    }

    /// <summary>Applies the workload and waits for this many ready pods (kubectl has no rollout status for OnDelete).</summary>
    public static async Task CreateWorkloadAsync(this OperatorCluster cluster, string name, string yaml, int readyPods)
    {
        (await cluster.Kubectl.ApplyAsync(yaml)).ShouldSucceed();
        await Eventually.TrueAsync(async () => (await cluster.LivePodsAsync(name)).Count(IsReady) == readyPods, $"{readyPods} ready pods of {name}");
    }

    /// <summary>The StatefulSet's revisions are older than the scenarios' recent-rollout window (2s): its failures are not a rollout's.</summary>
    public static Task StatefulSetSettledAsync(this OperatorCluster cluster, string name) =>
        Eventually.TrueAsync(async () =>
        {
            var revisions = await cluster.Client.AppsV1.ListNamespacedControllerRevisionAsync(OperatorCluster.Namespace,
                labelSelector: $"app={name}", cancellationToken: TestContext.Current.CancellationToken);
            return revisions.Items.Count > 0
                && revisions.Items.All(r => DateTime.UtcNow - r.Metadata.CreationTimestamp!.Value.ToUniversalTime() > TimeSpan.FromSeconds(3));
        }, $"the revisions of {name} older than the recent-rollout window");

    /// <summary>A bad rollout as a person makes one: a new image, and a fault the simulated kubelet turns into the failure.</summary>
    public static async Task BadWorkloadRolloutAsync(this OperatorCluster cluster, string resource, string name, string fault, string image = "nginx:1.26")
    {
        var patch = $"{{\"spec\":{{\"template\":{{\"metadata\":{{\"annotations\":{{\"{FaultSpec.FaultAnnotation}\":\"{fault}\"}}}},\"spec\":{{\"containers\":[{{\"name\":\"nginx\",\"image\":\"{image}\"}}]}}}}}}}}";
        (await cluster.Kubectl.RunAsync("patch", resource, name, "--type=merge", "-p", patch)).ShouldSucceed();
    }

    /// <summary>Patches the operator sent to the workload's main resource (not kubectl's, not dry runs).</summary>
    public static IReadOnlyList<AuditRecord> OperatorPatches(this OperatorCluster cluster, string resource, string name, string? subresource = null) =>
        [.. cluster.Cluster.Hooks.AuditLog.Where(r => r.Verb == "patch" && r.Resource == resource && r.Subresource == subresource && r.StatusCode == 200
            && r.Name == name && r.UserAgent?.StartsWith("kubectl", StringComparison.Ordinal) != true && !r.Path.Contains("dryRun", StringComparison.Ordinal))];

    /// <summary>Pod deletions the operator made (kubectl's excluded).</summary>
    public static IReadOnlyList<AuditRecord> OperatorPodDeletes(this OperatorCluster cluster) =>
        [.. cluster.Cluster.Hooks.AuditLog.Where(r => r is { Verb: "delete", Resource: "pods", StatusCode: 200 }
            && r.UserAgent?.StartsWith("kubectl", StringComparison.Ordinal) != true)];

    /// <summary>The app's pods that are not going away.</summary>
    public static async Task<IReadOnlyList<V1Pod>> LivePodsAsync(this OperatorCluster cluster, string app) =>
        [.. (await cluster.Client.CoreV1.ListNamespacedPodAsync(OperatorCluster.Namespace, labelSelector: $"app={app}",
            cancellationToken: TestContext.Current.CancellationToken)).Items.Where(p => p.Metadata.DeletionTimestamp is null)];

    public static bool IsReady(V1Pod pod) => pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    public static string? RevisionOf(V1Pod pod) => Projections(pod.Metadata.Labels, "controller-revision-hash");

    private static string? Projections(IDictionary<string, string>? labels, string key) =>
        labels is not null && labels.TryGetValue(key, out var value) ? value : null;
}
