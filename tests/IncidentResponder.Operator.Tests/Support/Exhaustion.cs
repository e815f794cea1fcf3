using IncidentResponder.Simulator.Kubelet;
using k8s;

namespace IncidentResponder.Operator.Tests.Support;

/// <summary>Resource-exhaustion faults as they happen to a running workload: no rollout, the pods start running out of memory.</summary>
internal static class Exhaustion
{
    /// <summary>Policy settings under which a Deployment created a few seconds ago is a stable revision, not a recent rollout.</summary>
    public static readonly PolicySettings StablePolicy = new() { RecentRolloutWindow = "2s" };

    /// <summary>
    /// Waits until the Deployment's current revision is older than <see cref="StablePolicy"/>'s recent-rollout window
    /// (plus a second, because creation timestamps are whole seconds), so its failures are on the exhaustion path.
    /// </summary>
    public static Task RevisionSettledAsync(this OperatorCluster cluster, string name) =>
        Eventually.TrueAsync(async () =>
        {
            var replicaSets = await cluster.Client.AppsV1.ListNamespacedReplicaSetAsync(OperatorCluster.Namespace,
                labelSelector: $"app={name}", cancellationToken: TestContext.Current.CancellationToken);
            return replicaSets.Items.Count > 0
                && replicaSets.Items.All(rs => DateTime.UtcNow - rs.Metadata.CreationTimestamp!.Value.ToUniversalTime() > TimeSpan.FromSeconds(3));
        }, $"the revisions of {name} older than the recent-rollout window");

    /// <summary>The exhaustion runbook and policy, and a Deployment with a memory limit, rolled out and past the recent-rollout window.</summary>
    public static async Task StableDeploymentWithMemoryLimitAsync(this OperatorCluster cluster, string name, string templateAnnotations = "{}",
        string verifyWindow = "2s", string verifyTimeout = "60s", string mode = "Automatic")
    {
        await cluster.Kubectl.ApplyAsync(ExhaustionManifests.RunbookAndPolicy(verifyWindow, verifyTimeout, mode) + "\n---\n" + ExhaustionManifests.Deployment(name, templateAnnotations));
        (await cluster.Kubectl.RunAsync("rollout", "status", $"deployment/{name}", "--timeout=60s")).ShouldSucceed();
        await cluster.RevisionSettledAsync(name);
    }

    /// <summary>The memory limit of the Deployment's first container, as stored.</summary>
    public static async Task<string?> MemoryLimitAsync(this OperatorCluster cluster, string name) =>
        (await cluster.DeploymentAsync(name)).Spec.Template.Spec.Containers[0].Resources?.Limits?["memory"]?.ToString();

    /// <summary>The running pods of the Deployment start getting OOM-killed (the pod annotation the simulated kubelet reads).</summary>
    public static async Task OomRunningPodsAsync(this OperatorCluster cluster, string name) =>
        (await cluster.Kubectl.RunAsync("annotate", "pods", "-l", $"app={name}", $"{FaultSpec.FaultAnnotation}=oom", "--overwrite")).ShouldSucceed();
}
