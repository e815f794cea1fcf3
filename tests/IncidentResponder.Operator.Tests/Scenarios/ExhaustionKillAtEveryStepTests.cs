using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Actions;
using IncidentResponder.Operator.Tests.Support;
using k8s;
using IncidentResponder.Operator.Controllers;

namespace IncidentResponder.Operator.Tests.Scenarios;

/// <summary>
/// "Never act twice" for the exhaustion actions, at the shell: the operator is stopped dead at each boundary of a
/// Scale (scale subresource and HPA), RestartRollout and FeatureFlag (ConfigMap, OpenFeature, HTTP) step, a fresh
/// instance takes over with nothing but the cluster and the Incident, and the story ends with exactly one change
/// (counted in the API server's audit log, or at the HTTP endpoint) and a complete, verified record.
/// </summary>
public sealed class ExhaustionKillAtEveryStepTests
{
    public enum Change
    {
        /// <summary>Scale through deployments/{name}/scale, then the action marker on the Deployment; scaled back on resolution.</summary>
        ScaleDeployment,

        /// <summary>Scale by raising the HPA's minReplicas; its min/max restored on resolution.</summary>
        ScaleHpa,

        /// <summary>kubectl rollout restart semantics.</summary>
        RestartRollout,

        /// <summary>A ConfigMap key flipped, and flipped back on resolution.</summary>
        ConfigMapFlag,

        /// <summary>An OpenFeature FeatureFlag's defaultVariant flipped, and flipped back on resolution.</summary>
        OpenFeatureFlag,

        /// <summary>A PUT to a flag service on loopback.</summary>
        HttpFlag,
    }

    public enum Boundary
    {
        /// <summary>The intent is recorded (Pending); the change never reached its target.</summary>
        BeforeEffect,

        /// <summary>Scale only: the replicas changed through the scale subresource; the marker patch never happened.</summary>
        BeforeMarker,

        /// <summary>HTTP only: the intent is recorded; the "dispatched" mark (the last write before sending) is not.</summary>
        BeforeDispatchRecorded,

        /// <summary>The change was made (for HTTP: sent and answered 2xx); the record still says Pending.</summary>
        BeforeAppliedRecorded,

        /// <summary>Resolved, the scale-back's or flip-back's intent recorded; it never reached its target.</summary>
        BeforeRevertEffect,

        /// <summary>Scaled or flipped back; the revert's record still says Pending.</summary>
        BeforeRevertRecorded,
    }

    [Theory]
    [InlineData(Change.ScaleDeployment, Boundary.BeforeEffect)]
    [InlineData(Change.ScaleDeployment, Boundary.BeforeMarker)]
    [InlineData(Change.ScaleDeployment, Boundary.BeforeAppliedRecorded)]
    [InlineData(Change.ScaleDeployment, Boundary.BeforeRevertEffect)]
    [InlineData(Change.ScaleDeployment, Boundary.BeforeRevertRecorded)]
    [InlineData(Change.ScaleHpa, Boundary.BeforeEffect)]
    [InlineData(Change.ScaleHpa, Boundary.BeforeAppliedRecorded)]
    [InlineData(Change.ScaleHpa, Boundary.BeforeRevertEffect)]
    [InlineData(Change.ScaleHpa, Boundary.BeforeRevertRecorded)]
    [InlineData(Change.RestartRollout, Boundary.BeforeEffect)]
    [InlineData(Change.RestartRollout, Boundary.BeforeAppliedRecorded)]
    [InlineData(Change.ConfigMapFlag, Boundary.BeforeEffect)]
    [InlineData(Change.ConfigMapFlag, Boundary.BeforeAppliedRecorded)]
    [InlineData(Change.ConfigMapFlag, Boundary.BeforeRevertEffect)]
    [InlineData(Change.ConfigMapFlag, Boundary.BeforeRevertRecorded)]
    [InlineData(Change.OpenFeatureFlag, Boundary.BeforeEffect)]
    [InlineData(Change.OpenFeatureFlag, Boundary.BeforeAppliedRecorded)]
    [InlineData(Change.OpenFeatureFlag, Boundary.BeforeRevertEffect)]
    [InlineData(Change.OpenFeatureFlag, Boundary.BeforeRevertRecorded)]
    [InlineData(Change.HttpFlag, Boundary.BeforeDispatchRecorded)]
    [InlineData(Change.HttpFlag, Boundary.BeforeAppliedRecorded)]
    public async Task An_operator_killed_at_the_boundary_is_replaced_and_the_change_is_made_exactly_once(Change action, Boundary boundary)
    {
        await using var endpoint = await FlagEndpoint.StartAsync();
        await using var cluster = await OperatorCluster.StartAsync();
        await SetUpAsync(cluster, action, endpoint);
        var step = StepOf(action);
        var crash = CrashPointFor(action, boundary, step);
        cluster.Cluster.ClusterStore.AddAdmissionStep(crash);
        // Scale-back waits a stability window after resolution: two seconds here.
        var options = OperatorCluster.FastOptions() with { Policy = new PolicyOverrides { ReadinessGrace = TimeSpan.FromSeconds(30), ScaleBackAfter = TimeSpan.FromSeconds(2) } };
        var first = cluster.StartOperator(options, name: "first");
        async Task KillAndReplaceAsync()
        {
            await crash.Hit.WaitAsync(Eventually.DefaultTimeout, TestContext.Current.CancellationToken);
            await first.DisposeAsync();
            crash.Disarm();
            cluster.StartOperator(options, name: "second");
        }

        await cluster.OomRunningPodsAsync("api");
        var revertBoundary = boundary is Boundary.BeforeRevertEffect or Boundary.BeforeRevertRecorded;
        if (!revertBoundary)
        {
            await KillAndReplaceAsync();
        }

        await Eventually.TrueAsync(async () => (await cluster.IncidentsAsync()).Any(i => i.Status?.Actions?.Any(a => a.Step == step
            && a.Phase is ActionPhase.Running or ActionPhase.Succeeded) == true), $"step {step} applied");
        // The change is made: the pods that ran out of memory are replaced by healthy ones, so the step verifies.
        (await cluster.Kubectl.RunAsync("delete", "pods", "-l", "app=api", "--wait=false")).ShouldSucceed();
        if (revertBoundary)
        {
            await KillAndReplaceAsync();
        }

        var incident = await Eventually.ValueAsync(async () => (await cluster.IncidentsAsync()).FirstOrDefault(i => i.Status?.Phase == IncidentPhase.Resolved
            && (!RevertsOnResolve(action) || i.Status.Actions?.Any(a => a.Step == "revert-" + step && a.Phase == ActionPhase.Succeeded) == true)),
            $"the incident resolved{(RevertsOnResolve(action) ? " and its change reverted" : string.Empty)}");

        Assert.Single(await cluster.IncidentsAsync());
        var record = Assert.Single(incident.Status!.Actions!, a => a.Step == step);
        Assert.Equal(ActionPhase.Succeeded, record.Phase);
        Assert.NotNull(incident.Status.MitigatedAt);
        Assert.NotNull(incident.Status.ResolvedAt);
        await AssertExactlyOneChangeAsync(cluster, action, endpoint);
        if (boundary is Boundary.BeforeAppliedRecorded or Boundary.BeforeRevertRecorded)
        {
            // The second instance recognised the first one's change instead of making it again.
            var timeline = string.Join("\n", incident.Status.Timeline!.Select(e => e.Message));
            var recognised = action == Change.HttpFlag ? "not sent again after a restart" : "found applied";
            Assert.True(timeline.Contains(recognised, StringComparison.Ordinal), timeline);
        }
    }

    private static async Task SetUpAsync(OperatorCluster cluster, Change action, FlagEndpoint endpoint)
    {
        var deployment = ExhaustionManifests.Deployment("api");
        switch (action)
        {
            case Change.ScaleDeployment:
                await cluster.Kubectl.ApplyAsync(ExhaustionManifests.ScaleRunbookAndPolicy(scaleBack: true, verifyTimeout: "60s") + "\n---\n" + deployment);
                break;
            case Change.ScaleHpa:
                await cluster.Kubectl.ApplyAsync(ExhaustionManifests.ScaleRunbookAndPolicy(scaleBack: true, verifyTimeout: "60s") + "\n---\n" + deployment
                    + "\n---\n" + ExhaustionManifests.Hpa("api", min: 2, max: 3));
                break;
            case Change.RestartRollout:
                await cluster.Kubectl.ApplyAsync(ExhaustionManifests.RestartRunbookAndPolicy() + "\n---\n" + deployment);
                break;
            case Change.ConfigMapFlag:
                await cluster.Kubectl.ApplyAsync(ExhaustionManifests.FlagRunbookAndPolicy(allowedFlags: ExhaustionManifests.Flag) + "\n---\n" + deployment);
                break;
            case Change.OpenFeatureFlag:
                await cluster.Kubectl.ApplyAsync(OpenFeatureManifests.Crd);
                await Eventually.TrueAsync(async () => (await cluster.Kubectl.RunAsync("get", "featureflags.core.openfeature.dev")).ExitCode == 0, "the FeatureFlag CRD served");
                await cluster.Kubectl.ApplyAsync(OpenFeatureManifests.FeatureFlag() + "\n---\n" + OpenFeatureManifests.RunbookAndPolicy(allowedFlags: OpenFeatureManifests.Flag)
                    + "\n---\n" + deployment);
                break;
            default:
                await cluster.Kubectl.ApplyAsync(HttpFlagManifests.RunbookPolicyAndSecret(endpoint.Url, retries: 2) + "\n---\n" + deployment);
                break;
        }

        (await cluster.Kubectl.RunAsync("rollout", "status", "deployment/api", "--timeout=60s")).ShouldSucceed();
        await cluster.RevisionSettledAsync("api");
    }

    private static CrashPoint CrashPointFor(Change action, Boundary boundary, string step) => (action, boundary) switch
    {
        (_, Boundary.BeforeAppliedRecorded) => IncidentWrites.BeforeAppliedRecorded(),
        (_, Boundary.BeforeRevertRecorded) => IncidentWrites.BeforeStepPhase("revert-" + step, "Pending", "Running"),
        (Change.ScaleDeployment, Boundary.BeforeRevertEffect) => new CrashPoint("deployments", null,
            (obj, old) => Int(obj["spec"]?["replicas"]) == 2 && Int(old?["spec"]?["replicas"]) == 4),
        (Change.ScaleHpa, Boundary.BeforeRevertEffect) => new CrashPoint("horizontalpodautoscalers", null,
            (obj, old) => Int(obj["spec"]?["minReplicas"]) == 2 && Int(old?["spec"]?["minReplicas"]) == 4),
        (Change.ConfigMapFlag, Boundary.BeforeRevertEffect) => new CrashPoint("configmaps", null,
            (obj, old) => obj["data"]?[ExhaustionManifests.Flag]?.GetValue<string>() == "true" && old?["data"]?[ExhaustionManifests.Flag]?.GetValue<string>() == "false"),
        (Change.OpenFeatureFlag, Boundary.BeforeRevertEffect) => new CrashPoint("featureflags", null,
            (obj, old) => OpenFeatureFlag.DefaultVariant(obj, OpenFeatureManifests.Flag) == "on" && OpenFeatureFlag.DefaultVariant(old, OpenFeatureManifests.Flag) == "off"),
        // The simulated API server stores a scale-subresource write as an update of the Deployment: its replicas change.
        (Change.ScaleDeployment, Boundary.BeforeEffect) => new CrashPoint("deployments", null,
            (obj, old) => Int(obj["spec"]?["replicas"]) != Int(old?["spec"]?["replicas"])),
        (Change.ScaleDeployment, Boundary.BeforeMarker) => MarkerWrite(),
        (Change.ScaleHpa, Boundary.BeforeEffect) => new CrashPoint("horizontalpodautoscalers", null, (_, old) => old is not null),
        (Change.RestartRollout, Boundary.BeforeEffect) => MarkerWrite(),
        (Change.ConfigMapFlag, Boundary.BeforeEffect) => new CrashPoint("configmaps", null,
            (obj, _) => obj["data"]?[ExhaustionManifests.Flag]?.GetValue<string>() == "false"),
        (Change.OpenFeatureFlag, Boundary.BeforeEffect) => new CrashPoint("featureflags", null,
            (obj, _) => OpenFeatureFlag.DefaultVariant(obj, OpenFeatureManifests.Flag) == "off"),
        (Change.HttpFlag, Boundary.BeforeDispatchRecorded) => new CrashPoint("incidents", "status",
            (obj, old) => IncidentWrites.HasDispatchedAction(obj) && !IncidentWrites.HasDispatchedAction(old)),
        _ => throw new ArgumentOutOfRangeException(nameof(boundary), $"{action} has no boundary {boundary}"),
    };

    /// <summary>A JSON number as stored (whatever its CLR type), or null.</summary>
    private static long? Int(JsonNode? node) => node is JsonValue value && long.TryParse(value.ToJsonString(), out var number) ? number : null;

    /// <summary>The write that puts a new incidentresponder.dev/action marker on the Deployment.</summary>
    private static CrashPoint MarkerWrite() =>
        new("deployments", null, (obj, old) => IncidentWrites.ActionMarker(obj) is not null && IncidentWrites.ActionMarker(obj) != IncidentWrites.ActionMarker(old));

    private static string StepOf(Change action) => action switch
    {
        Change.ScaleDeployment or Change.ScaleHpa => ExhaustionManifests.ScaleStep,
        Change.RestartRollout => ExhaustionManifests.RestartStep,
        Change.ConfigMapFlag => ExhaustionManifests.FlagStep,
        Change.OpenFeatureFlag => OpenFeatureManifests.Step,
        _ => HttpFlagManifests.Step,
    };

    private static bool RevertsOnResolve(Change action) => action is not (Change.RestartRollout or Change.HttpFlag);

    private static async Task AssertExactlyOneChangeAsync(OperatorCluster cluster, Change action, FlagEndpoint endpoint)
    {
        var ct = TestContext.Current.CancellationToken;
        switch (action)
        {
            case Change.ScaleDeployment:
                // One scale to 4 and one scale back to 2: nothing repeated.
                Assert.Equal(2, OperatorWrites(cluster, "deployments", "scale", "api").Count);
                Assert.Equal(2, (await cluster.DeploymentAsync("api")).Spec.Replicas);
                break;
            case Change.ScaleHpa:
                Assert.Equal(2, OperatorWrites(cluster, "horizontalpodautoscalers", null, "api").Count);
                var hpa = await cluster.Client.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync("api", OperatorCluster.Namespace, cancellationToken: ct);
                Assert.Equal((2, 3), (hpa.Spec.MinReplicas, hpa.Spec.MaxReplicas));
                Assert.Equal(2, (await cluster.DeploymentAsync("api")).Spec.Replicas);
                Assert.Empty(OperatorWrites(cluster, "deployments", "scale", "api"));
                break;
            case Change.RestartRollout:
                Assert.Single(cluster.RollbackPatches("api"));
                break;
            case Change.ConfigMapFlag:
                // One flip and one flip back: nothing repeated.
                Assert.Equal(2, OperatorWrites(cluster, "configmaps", null, "flags").Count);
                var flags = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("flags", OperatorCluster.Namespace, cancellationToken: ct);
                Assert.Equal("true", flags.Data[ExhaustionManifests.Flag]);
                break;
            case Change.OpenFeatureFlag:
                Assert.Equal(2, OperatorWrites(cluster, "featureflags", null, OpenFeatureManifests.ResourceName).Count);
                var resource = await cluster.Client.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>(OpenFeatureFlag.Group, OpenFeatureFlag.Version,
                    OperatorCluster.Namespace, OpenFeatureFlag.Plural, OpenFeatureManifests.ResourceName, cancellationToken: ct);
                Assert.Equal("on", OpenFeatureFlag.DefaultVariant(resource, OpenFeatureManifests.Flag));
                break;
            default:
                Assert.Single(endpoint.Requests);
                break;
        }
    }

    /// <summary>Successful, persisted writes of one object by the operator (kubectl's own and dry runs excluded).</summary>
    private static IReadOnlyList<Simulator.AuditRecord> OperatorWrites(OperatorCluster cluster, string resource, string? subresource, string name) =>
        [.. cluster.Cluster.Hooks.AuditLog.Where(r => r.Verb is "patch" or "update" && r.Resource == resource && r.Subresource == subresource && r.Name == name
            && r.StatusCode == 200 && r.UserAgent?.StartsWith("kubectl", StringComparison.Ordinal) != true
            && !r.Path.Contains("dryRun", StringComparison.Ordinal))];
}
