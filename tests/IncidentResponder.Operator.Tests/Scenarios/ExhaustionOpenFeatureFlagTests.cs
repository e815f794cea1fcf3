using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;
using k8s;

namespace IncidentResponder.Operator.Tests.Scenarios;

/// <summary>FeatureFlag through the OpenFeature provider: the FeatureFlag's defaultVariant flipped, read back, flipped back.</summary>
public sealed class ExhaustionOpenFeatureFlagTests
{
    [Fact]
    public async Task The_default_variant_is_flipped_verified_by_read_back_and_flipped_back_once_the_incident_resolves()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.Kubectl.ApplyAsync(OpenFeatureManifests.Crd);
        await Eventually.TrueAsync(async () => (await cluster.Kubectl.RunAsync("get", "featureflags.core.openfeature.dev")).ExitCode == 0, "the FeatureFlag CRD served");
        await cluster.Kubectl.ApplyAsync(OpenFeatureManifests.FeatureFlag() + "\n---\n" + OpenFeatureManifests.RunbookAndPolicy(allowedFlags: OpenFeatureManifests.Flag)
            + "\n---\n" + ExhaustionManifests.Deployment("api"));
        (await cluster.Kubectl.RunAsync("rollout", "status", "deployment/api", "--timeout=60s")).ShouldSucceed();
        await cluster.RevisionSettledAsync("api");
        cluster.StartOperator();

        await cluster.OomRunningPodsAsync("api");
        await Eventually.TrueAsync(async () => await DefaultVariantAsync(cluster) == "off", "the flag's defaultVariant flipped to off");
        // With the feature off, the pods that ran out of memory are replaced by healthy ones: it recovers.
        (await cluster.Kubectl.RunAsync("delete", "pods", "-l", "app=api", "--wait=false")).ShouldSucceed();
        var incident = await Eventually.ValueAsync(async () => (await cluster.IncidentsAsync()).FirstOrDefault(i => i.Status?.Phase == IncidentPhase.Resolved
            && i.Status.Actions?.Any(a => a.Step == "revert-" + OpenFeatureManifests.Step && a.Phase == ActionPhase.Succeeded) == true),
            "a resolved incident whose flag was flipped back");

        var flip = Assert.Single(incident.Status!.Actions!, a => a.Step == OpenFeatureManifests.Step);
        Assert.Equal(ActionType.FeatureFlag, flip.Type);
        Assert.Equal(ActionPhase.Succeeded, flip.Phase);
        Assert.Equal("on", flip.Details!["fromValue"]);
        Assert.Equal("off", flip.Details["readBack"]);
        var back = Assert.Single(incident.Status.Actions!, a => a.Step == "revert-" + OpenFeatureManifests.Step);
        Assert.Equal("on", back.Details!["readBack"]);
        Assert.Equal("on", await DefaultVariantAsync(cluster));
        // Exactly two writes of the FeatureFlag: the flip and the flip back, no retries or repeated flips.
        Assert.Equal(2, cluster.Cluster.Hooks.AuditLog.Count(r => r is { Verb: "patch", Resource: "featureflags" }));
    }

    private static async Task<string?> DefaultVariantAsync(OperatorCluster cluster)
    {
        var resource = await cluster.Client.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>("core.openfeature.dev", "v1beta1", OperatorCluster.Namespace,
            "featureflags", OpenFeatureManifests.ResourceName, cancellationToken: TestContext.Current.CancellationToken);
        return (string?)resource["spec"]?["flagSpec"]?["flags"]?[OpenFeatureManifests.Flag]?["defaultVariant"];
    }
}
