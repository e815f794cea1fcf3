using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;
using k8s;

namespace IncidentResponder.Operator.Tests.Scenarios;

/// <summary>FeatureFlag through the ConfigMap provider: flipped and read back, flipped back on resolution, refused when not allowed.</summary>
public sealed class ExhaustionFeatureFlagTests
{
    [Fact]
    public async Task The_flag_is_flipped_verified_by_read_back_and_flipped_back_once_the_incident_resolves()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.Kubectl.ApplyAsync(ExhaustionManifests.FlagRunbookAndPolicy(allowedFlags: ExhaustionManifests.Flag) + "\n---\n" + ExhaustionManifests.Deployment("api"));
        (await cluster.Kubectl.RunAsync("rollout", "status", "deployment/api", "--timeout=60s")).ShouldSucceed();
        await cluster.RevisionSettledAsync("api");
        cluster.StartOperator();

        await cluster.OomRunningPodsAsync("api");
        await Eventually.TrueAsync(async () => await FlagAsync(cluster) == "false", "the flag flipped to false");
        // With the feature off, the pods that ran out of memory are replaced by healthy ones: it recovers.
        (await cluster.Kubectl.RunAsync("delete", "pods", "-l", "app=api", "--wait=false")).ShouldSucceed();
        var incident = await Eventually.ValueAsync(async () => (await cluster.IncidentsAsync()).FirstOrDefault(i => i.Status?.Phase == IncidentPhase.Resolved
            && i.Status.Actions?.Any(a => a.Step == "revert-" + ExhaustionManifests.FlagStep && a.Phase == ActionPhase.Succeeded) == true),
            "a resolved incident whose flag was flipped back");

        var flip = Assert.Single(incident.Status!.Actions!, a => a.Step == ExhaustionManifests.FlagStep);
        Assert.Equal(ActionType.FeatureFlag, flip.Type);
        Assert.Equal(ActionPhase.Succeeded, flip.Phase);
        Assert.Equal("true", flip.Details!["fromValue"]);
        Assert.Equal("false", flip.Details["readBack"]);
        var back = Assert.Single(incident.Status.Actions!, a => a.Step == "revert-" + ExhaustionManifests.FlagStep);
        Assert.Equal("true", back.Details!["readBack"]);
        Assert.Equal("true", await FlagAsync(cluster));
    }

    [Fact]
    public async Task A_flag_outside_the_policys_allowed_flags_is_refused_and_left_alone()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.Kubectl.ApplyAsync(ExhaustionManifests.FlagRunbookAndPolicy(allowedFlags: "checkout") + "\n---\n" + ExhaustionManifests.Deployment("api"));
        (await cluster.Kubectl.RunAsync("rollout", "status", "deployment/api", "--timeout=60s")).ShouldSucceed();
        await cluster.RevisionSettledAsync("api");
        cluster.StartOperator();

        await cluster.OomRunningPodsAsync("api");
        var incident = await cluster.IncidentInPhaseAsync("api", IncidentPhase.Escalated);

        var timeline = string.Join("\n", incident.Status!.Timeline!.Select(e => e.Message));
        Assert.True(timeline.Contains("refused by allowed-flags: flag recommendations is not in the policy's allowedFlags (it allows checkout)", StringComparison.Ordinal), timeline);
        Assert.DoesNotContain(incident.Status.Actions ?? [], a => a.Type == ActionType.FeatureFlag && a.Phase == ActionPhase.Succeeded);
        Assert.Equal("true", await FlagAsync(cluster));
        // The flag ConfigMap is never written (the incident's own evidence and post-mortem ConfigMaps are).
        Assert.DoesNotContain(cluster.Cluster.Hooks.AuditLog, r => r is { Verb: "patch" or "update", Resource: "configmaps", Name: "flags" });
    }

    private static async Task<string?> FlagAsync(OperatorCluster cluster) =>
        (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("flags", OperatorCluster.Namespace, cancellationToken: TestContext.Current.CancellationToken))
            .Data?[ExhaustionManifests.Flag];
}
