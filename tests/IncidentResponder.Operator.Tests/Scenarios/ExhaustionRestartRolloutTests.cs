using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using IncidentResponder.Operator.Tests.Support;
using k8s;

namespace IncidentResponder.Operator.Tests.Scenarios;

/// <summary>RestartRollout: kubectl rollout restart semantics, the pods replaced, nothing else in the template changed.</summary>
public sealed class ExhaustionRestartRolloutTests
{
    [Fact]
    public async Task Pods_stuck_on_a_healthy_image_are_replaced_by_a_rollout_restart_and_the_incident_resolves()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.Kubectl.ApplyAsync(ExhaustionManifests.RestartRunbookAndPolicy() + "\n---\n" + ExhaustionManifests.Deployment("api"));
        (await cluster.Kubectl.RunAsync("rollout", "status", "deployment/api", "--timeout=60s")).ShouldSucceed();
        await cluster.RevisionSettledAsync("api");
        var podsBefore = await PodNamesAsync(cluster);
        cluster.StartOperator();

        // The fault is on the running pods only: the restart replaces them with pods that do not have it.
        await cluster.OomRunningPodsAsync("api");
        var incident = await cluster.IncidentInPhaseAsync("api", IncidentPhase.Resolved);

        var action = Assert.Single(incident.Status!.Actions!);
        Assert.Equal(ActionType.RestartRollout, action.Type);
        Assert.Equal(ActionPhase.Succeeded, action.Phase);
        var deployment = await cluster.DeploymentAsync("api");
        Assert.Equal(action.Details!["restartedAt"], deployment.Spec.Template.Metadata.Annotations[ActionChange.RestartRollout.Annotation]);
        Assert.Equal($"{incident.Metadata.Name}/{ExhaustionManifests.RestartStep}", deployment.Metadata.Annotations[WellKnown.ActionAnnotation]);
        Assert.Equal("128Mi", await cluster.MemoryLimitAsync("api"));
        Assert.Equal("nginx:1.25", deployment.Spec.Template.Spec.Containers[0].Image);
        Assert.Single(cluster.RollbackPatches("api"));
        Assert.Empty((await PodNamesAsync(cluster)).Intersect(podsBefore));
    }

    private static async Task<IReadOnlyList<string>> PodNamesAsync(OperatorCluster cluster) =>
        [.. (await cluster.Client.CoreV1.ListNamespacedPodAsync(OperatorCluster.Namespace, labelSelector: "app=api",
            cancellationToken: TestContext.Current.CancellationToken)).Items.Where(p => p.Metadata.DeletionTimestamp is null).Select(p => p.Metadata.Name)];
}
