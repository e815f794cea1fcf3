using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;
using IncidentResponder.Simulator.Kubelet;

namespace IncidentResponder.Operator.Tests.Scenarios;

/// <summary>
/// RaiseMemoryLimit end to end: OOM kills on a stable revision raise the limit once, within the cap; a raise that
/// helped resolves the incident, one that did not escalates instead of raising again (the remediation loop).
/// </summary>
public sealed class ExhaustionMemoryRaiseTests
{
    [Fact]
    public async Task Oom_on_a_stable_revision_raises_memory_once_within_the_cap_and_resolves_when_the_pods_recover()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.StableDeploymentWithMemoryLimitAsync("api");
        cluster.StartOperator();

        // The fault is on the running pods only: the pods the raise rolls out do not have it, so they stay up.
        await cluster.OomRunningPodsAsync("api");
        var incident = await cluster.IncidentInPhaseAsync("api", IncidentPhase.Resolved);

        Assert.Equal(SignalType.OOMKilled, incident.Spec.Signal.Type);
        var action = Assert.Single(incident.Status!.Actions!);
        Assert.Equal(ExhaustionManifests.RaiseStep, action.Step);
        Assert.Equal(ActionType.RaiseMemoryLimit, action.Type);
        Assert.Equal(ActionPhase.Succeeded, action.Phase);
        Assert.Equal("128Mi", action.Details!["fromLimit"]);
        Assert.Equal("192Mi", action.Details["toLimit"]);
        Assert.Equal("256Mi", action.Details["cap"]);
        Assert.Equal("192Mi", await cluster.MemoryLimitAsync("api"));
        Assert.Single(cluster.RollbackPatches("api"));
        var deployment = await cluster.DeploymentAsync("api");
        Assert.Equal($"{incident.Metadata.Name}/{ExhaustionManifests.RaiseStep}", deployment.Metadata.Annotations[WellKnown.ActionAnnotation]);
    }

    [Fact]
    public async Task Oom_continuing_after_the_raise_escalates_instead_of_raising_again()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        // The fault is on the template (after a delay, so the first rollout completes): the raised pods OOM too.
        await cluster.StableDeploymentWithMemoryLimitAsync("api",
            $"{{\"{FaultSpec.FaultAnnotation}\": oom, \"{FaultSpec.FaultAfterAnnotation}\": 60s}}", verifyWindow: "15s", verifyTimeout: "20s");
        cluster.StartOperator();

        var incident = await cluster.IncidentInPhaseAsync("api", IncidentPhase.Escalated, TimeSpan.FromSeconds(90));

        var raise = Assert.Single(incident.Status!.Actions!, a => a.Type == ActionType.RaiseMemoryLimit && a.Details?.ContainsKey("toLimit") == true);
        Assert.Equal("192Mi", raise.Details!["toLimit"]);
        Assert.Equal("192Mi", await cluster.MemoryLimitAsync("api"));
        Assert.Single(cluster.RollbackPatches("api"));
        // The runbook's second raise never reaches the cluster: the core refuses a second raise on the target.
        Assert.DoesNotContain(incident.Status.Actions!, a => a.Step == ExhaustionManifests.RaiseMoreStep
            && a.Phase is ActionPhase.Running or ActionPhase.Succeeded or ActionPhase.Failed);
        var timeline = string.Join("\n", incident.Status.Timeline!.Select(e => e.Message));
        Assert.True(timeline.Contains($"step {ExhaustionManifests.RaiseStep} of incident {incident.Metadata.Name} raised it", StringComparison.Ordinal), timeline);
    }

    [Fact]
    public async Task In_dry_run_mode_the_raise_is_only_a_server_side_dry_run()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.StableDeploymentWithMemoryLimitAsync("api", mode: "DryRun");
        cluster.StartOperator();

        await cluster.OomRunningPodsAsync("api");
        await Eventually.TrueAsync(() => cluster.DryRunPatches("api").Count > 0, "a server-side dry run of the memory raise");

        var incident = Assert.Single(await cluster.IncidentsAsync());
        Assert.Contains(incident.Status!.Actions!, a => a.Type == ActionType.RaiseMemoryLimit);
        Assert.Equal("128Mi", await cluster.MemoryLimitAsync("api"));
        Assert.Empty(cluster.RollbackPatches("api"));
    }

    public enum Boundary
    {
        /// <summary>The intent is recorded (Pending); the memory patch never reached the Deployment.</summary>
        BeforeMemoryPatch,

        /// <summary>The limit was raised; the record still says Pending.</summary>
        BeforeAppliedRecorded,
    }

    [Theory]
    [InlineData(Boundary.BeforeMemoryPatch)]
    [InlineData(Boundary.BeforeAppliedRecorded)]
    public async Task An_operator_killed_around_the_memory_patch_is_replaced_and_memory_is_raised_exactly_once(Boundary boundary)
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.StableDeploymentWithMemoryLimitAsync("api");
        var crash = boundary == Boundary.BeforeMemoryPatch
            ? new CrashPoint("deployments", null, (obj, old) => ActionMarker(obj) is not null && ActionMarker(obj) != ActionMarker(old))
            : new CrashPoint("incidents", "status", (obj, old) => HasAction(old, "Pending") && HasAction(obj, "Running"));
        cluster.Cluster.ClusterStore.AddAdmissionStep(crash);
        var first = cluster.StartOperator(name: "first");

        await cluster.OomRunningPodsAsync("api");
        await crash.Hit.WaitAsync(Eventually.DefaultTimeout, TestContext.Current.CancellationToken);
        await first.DisposeAsync();
        crash.Disarm();
        cluster.StartOperator(name: "second");

        var incident = await cluster.IncidentInPhaseAsync("api", IncidentPhase.Resolved);

        Assert.Single(cluster.RollbackPatches("api"));
        var action = Assert.Single(incident.Status!.Actions!);
        Assert.Equal(ActionPhase.Succeeded, action.Phase);
        Assert.Equal("192Mi", await cluster.MemoryLimitAsync("api"));
        if (boundary == Boundary.BeforeAppliedRecorded)
        {
            Assert.Contains(incident.Status.Timeline!, e => e.Message.Contains("found applied", StringComparison.Ordinal));
        }
    }

    private static bool HasAction(JsonObject? incident, string phase) =>
        incident?["status"]?["actions"] is JsonArray actions && actions.Any(a => a?["phase"]?.GetValue<string>() == phase);

    private static string? ActionMarker(JsonObject? deployment) =>
        deployment?["metadata"]?["annotations"]?[WellKnown.ActionAnnotation]?.GetValue<string>();
}
