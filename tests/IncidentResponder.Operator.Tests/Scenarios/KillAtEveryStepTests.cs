using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;

namespace IncidentResponder.Operator.Tests.Scenarios;

/// <summary>
/// "Never act twice": the operator is stopped dead at each step boundary of a rollback, a fresh instance takes over,
/// and the story still ends with exactly one rollback patch and a complete record.
/// </summary>
public sealed class KillAtEveryStepTests
{
    public enum Boundary
    {
        /// <summary>Detected, but the Incident was never created.</summary>
        BeforeIncidentCreated,

        /// <summary>The Incident exists, its Opened status was never written.</summary>
        BeforeIncidentOpened,

        /// <summary>The intent is recorded (Pending), the rollback patch never reached the Deployment.</summary>
        BeforeRollbackPatch,

        /// <summary>The Deployment was rolled back, the record still says Pending.</summary>
        BeforeAppliedRecorded,

        /// <summary>Applied and verifying; the verified result was never written.</summary>
        BeforeVerified,

        /// <summary>Mitigated; the resolution was never written.</summary>
        BeforeResolved,
    }

    [Theory]
    [InlineData(Boundary.BeforeIncidentCreated)]
    [InlineData(Boundary.BeforeIncidentOpened)]
    [InlineData(Boundary.BeforeRollbackPatch)]
    [InlineData(Boundary.BeforeAppliedRecorded)]
    [InlineData(Boundary.BeforeVerified)]
    [InlineData(Boundary.BeforeResolved)]
    public async Task An_operator_killed_at_the_boundary_is_replaced_and_the_rollback_happens_exactly_once(Boundary boundary)
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.ApplyRunbookAndPolicyAsync();
        await cluster.CreateDeploymentAsync("web");
        var crash = CrashPointFor(boundary);
        cluster.Cluster.ClusterStore.AddAdmissionStep(crash);
        var first = cluster.StartOperator(name: "first");

        await cluster.BadRolloutAsync("web", "crashloop");
        await crash.Hit.WaitAsync(Eventually.DefaultTimeout, TestContext.Current.CancellationToken);
        await first.DisposeAsync();
        crash.Disarm();
        cluster.StartOperator(name: "second");

        var incident = await cluster.IncidentInPhaseAsync("web", IncidentPhase.Resolved);

        Assert.Single(cluster.RollbackPatches("web"));
        Assert.Single(await cluster.IncidentsAsync());
        var status = incident.Status!;
        var action = Assert.Single(status.Actions!);
        Assert.Equal(ActionPhase.Succeeded, action.Phase);
        Assert.NotNull(status.DetectedAt);
        Assert.NotNull(status.MitigatedAt);
        Assert.NotNull(status.ResolvedAt);
        Assert.False(string.IsNullOrEmpty(status.TimeToMitigate));
        foreach (var type in new[] { TimelineEntryType.Detected, TimelineEntryType.Decision, TimelineEntryType.Action, TimelineEntryType.Verification, TimelineEntryType.Phase })
        {
            Assert.Contains(status.Timeline!, e => e.Type == type);
        }

        Assert.Equal("nginx:1.25", (await cluster.DeploymentAsync("web")).Spec.Template.Spec.Containers[0].Image);
        if (boundary == Boundary.BeforeAppliedRecorded)
        {
            // The second instance must have recognised the first one's patch by its marker, not patched again.
            Assert.Contains(status.Timeline!, e => e.Message.Contains("found applied after a restart", StringComparison.Ordinal));
        }
    }

    /// <summary>The crash point of a boundary; the rollback patch is a write to <paramref name="workloads"/> (the target's resource).</summary>
    internal static CrashPoint CrashPointFor(Boundary boundary, string workloads = "deployments") => boundary switch
    {
        Boundary.BeforeIncidentCreated => new CrashPoint("incidents", null, (_, old) => old is null),
        Boundary.BeforeIncidentOpened => new CrashPoint("incidents", "status", (obj, old) => Phase(old) is null && Phase(obj) == "Detected"),
        Boundary.BeforeRollbackPatch => new CrashPoint(workloads, null, (obj, old) => ActionMarker(obj) is not null && ActionMarker(obj) != ActionMarker(old)),
        Boundary.BeforeAppliedRecorded => new CrashPoint("incidents", "status", (obj, old) => HasAction(old, "Pending") && HasAction(obj, "Running")),
        Boundary.BeforeVerified => new CrashPoint("incidents", "status", (obj, old) => Phase(obj) == "Mitigated" && Phase(old) != "Mitigated"),
        _ => new CrashPoint("incidents", "status", (obj, old) => Phase(obj) == "Resolved" && Phase(old) != "Resolved"),
    };

    private static string? Phase(JsonObject? incident) => incident?["status"]?["phase"]?.GetValue<string>();

    private static bool HasAction(JsonObject? incident, string phase) =>
        incident?["status"]?["actions"] is JsonArray actions && actions.Any(a => a?["phase"]?.GetValue<string>() == phase);

    private static string? ActionMarker(JsonObject? workload) =>
        workload?["metadata"]?["annotations"]?[WellKnown.ActionAnnotation]?.GetValue<string>();
}
