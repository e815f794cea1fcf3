using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;
using k8s;
using IncidentResponder.Operator.Controllers;

namespace IncidentResponder.Operator.Tests.Scenarios;

/// <summary>
/// Scale on resource exhaustion: through the scale subresource when nothing else manages the replicas, and through
/// the HPA's minReplicas when an HPA does (changing the Deployment would be undone by the HPA's next sync).
/// </summary>
public sealed class ExhaustionScaleTests
{
    [Fact]
    public async Task A_deployment_is_scaled_through_its_scale_subresource_within_the_cap()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.Kubectl.ApplyAsync(ExhaustionManifests.ScaleRunbookAndPolicy() + "\n---\n" + ExhaustionManifests.Deployment("api"));
        (await cluster.Kubectl.RunAsync("rollout", "status", "deployment/api", "--timeout=60s")).ShouldSucceed();
        await cluster.RevisionSettledAsync("api");
        cluster.StartOperator();

        await cluster.OomRunningPodsAsync("api");
        var incident = await Eventually.ValueAsync(async () => (await cluster.IncidentsAsync()).FirstOrDefault(i =>
            i.Status?.Actions?.Any(a => a.Type == ActionType.Scale && a.Phase is ActionPhase.Running or ActionPhase.Succeeded or ActionPhase.Failed) == true),
            "a Scale action applied");

        var action = Assert.Single(incident.Status!.Actions!, a => a.Type == ActionType.Scale);
        Assert.Equal("ScaleDeployment", action.Details!["change"]);
        Assert.Equal("4", action.Details["toReplicas"]);
        Assert.Equal(4, (await cluster.DeploymentAsync("api")).Spec.Replicas);
        Assert.Single(ScalePatches(cluster, "api"));
        Assert.Equal($"{incident.Metadata.Name}/{ExhaustionManifests.ScaleStep}", (await cluster.DeploymentAsync("api")).Metadata.Annotations[WellKnown.ActionAnnotation]);
    }

    [Fact]
    public async Task An_hpa_managed_deployment_gets_its_hpa_min_replicas_raised_and_its_replicas_left_alone()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.Kubectl.ApplyAsync(ExhaustionManifests.ScaleRunbookAndPolicy() + "\n---\n" + ExhaustionManifests.Deployment("api")
            + "\n---\n" + ExhaustionManifests.Hpa("api", min: 2, max: 3));
        (await cluster.Kubectl.RunAsync("rollout", "status", "deployment/api", "--timeout=60s")).ShouldSucceed();
        await cluster.RevisionSettledAsync("api");
        cluster.StartOperator();

        await cluster.OomRunningPodsAsync("api");
        var incident = await Eventually.ValueAsync(async () => (await cluster.IncidentsAsync()).FirstOrDefault(i =>
            i.Status?.Actions?.Any(a => a.Type == ActionType.Scale && a.Phase is ActionPhase.Running or ActionPhase.Succeeded or ActionPhase.Failed) == true),
            "a Scale action applied");

        var action = Assert.Single(incident.Status!.Actions!, a => a.Type == ActionType.Scale);
        Assert.Equal("ScaleHpa", action.Details!["change"]);
        var hpa = await cluster.Client.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync("api", OperatorCluster.Namespace,
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(4, hpa.Spec.MinReplicas);
        Assert.Equal(4, hpa.Spec.MaxReplicas); // raised with the minimum, which may not pass it
        Assert.Equal(2, (await cluster.DeploymentAsync("api")).Spec.Replicas);
        Assert.Empty(ScalePatches(cluster, "api"));
        Assert.Empty(cluster.RollbackPatches("api"));
    }

    [Fact]
    public async Task A_resolved_incident_scales_back_to_the_original_replicas_after_its_stability_window()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.Kubectl.ApplyAsync(ExhaustionManifests.ScaleRunbookAndPolicy(scaleBack: true, verifyTimeout: "60s") + "\n---\n" + ExhaustionManifests.Deployment("api"));
        (await cluster.Kubectl.RunAsync("rollout", "status", "deployment/api", "--timeout=60s")).ShouldSucceed();
        await cluster.RevisionSettledAsync("api");
        cluster.StartOperator(OperatorCluster.FastOptions() with { Policy = new PolicyOverrides { ReadinessGrace = TimeSpan.FromSeconds(30), ScaleBackAfter = TimeSpan.FromSeconds(2) } });

        await cluster.OomRunningPodsAsync("api");
        await Eventually.TrueAsync(async () => (await cluster.DeploymentAsync("api")).Spec.Replicas == 4, "api scaled to 4 replicas");
        // The pods that ran out of memory are replaced by healthy ones (the fault was on those pods only): it recovers.
        (await cluster.Kubectl.RunAsync("delete", "pods", "-l", "app=api", "--wait=false")).ShouldSucceed();
        var incident = await Eventually.ValueAsync(async () => (await cluster.IncidentsAsync()).FirstOrDefault(i => i.Status?.Phase == IncidentPhase.Resolved
            && i.Status.Actions?.Any(a => a.Step == "revert-" + ExhaustionManifests.ScaleStep && a.Phase == ActionPhase.Succeeded) == true),
            "a resolved incident whose scale-back succeeded");

        Assert.Equal(2, (await cluster.DeploymentAsync("api")).Spec.Replicas);
        var revert = Assert.Single(incident.Status!.Actions!, a => a.Step == "revert-" + ExhaustionManifests.ScaleStep);
        Assert.Equal("4", revert.Details!["fromReplicas"]);
        Assert.Equal("2", revert.Details["toReplicas"]);
        Assert.Equal(2, ScalePatches(cluster, "api").Count);
    }

    private static IReadOnlyList<Simulator.AuditRecord> ScalePatches(OperatorCluster cluster, string deployment) =>
        [.. cluster.Cluster.Hooks.AuditLog.Where(r => r is { Verb: "patch", Resource: "deployments", Subresource: "scale", StatusCode: 200 }
            && r.Name == deployment && r.UserAgent?.StartsWith("kubectl", StringComparison.Ordinal) != true)];
}
