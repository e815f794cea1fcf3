using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;
using IncidentResponder.Simulator;

namespace IncidentResponder.Operator.Tests.Scenarios;

/// <summary>
/// Incidents are created under a name derived from the signal, so two detections racing on one target meet on
/// AlreadyExists and join one Incident; a foreign Incident squatting on that name is never adopted or acted on.
/// </summary>
public sealed class IncidentNameRaceTests
{
    [Fact]
    public async Task Two_operators_racing_on_one_failure_open_one_incident()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.ApplyRunbookAndPolicyAsync();
        await cluster.CreateDeploymentAsync("web");
        // Slow creates: both operators list no incident, both create, one of them meets AlreadyExists.
        using var slowCreates = cluster.Cluster.Hooks.InjectFault(new FaultRule { Verb = "create", Resource = "incidents", Latency = TimeSpan.FromSeconds(1) });
        cluster.StartOperator(OperatorCluster.FastOptions("operator-a"), "operator-a");
        cluster.StartOperator(OperatorCluster.FastOptions("operator-b"), "operator-b");

        await cluster.BadRolloutAsync("web", "crashloop");
        await Eventually.TrueAsync(() => cluster.Cluster.Hooks.AuditLog.Any(a => a is { Verb: "create", Resource: "incidents", StatusCode: 409 }),
            "the second create met AlreadyExists", TimeSpan.FromSeconds(60));
        await cluster.IncidentInPhaseAsync("web", IncidentPhase.Resolved);

        var incident = Assert.Single(await cluster.IncidentsAsync());
        Assert.Equal("web-crashloop-r2", incident.Metadata.Name);
    }

    [Fact]
    public async Task A_foreign_incident_holding_the_name_is_left_alone_and_a_suffixed_one_is_opened()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.ApplyRunbookAndPolicyAsync();
        await cluster.CreateDeploymentAsync("web");
        await cluster.CreateDeploymentAsync("victim");
        // Someone allowed to create Incidents guesses the name the next failure of web will get, pointing it at victim.
        await cluster.Kubectl.ApplyAsync($$"""
            apiVersion: incidentresponder.dev/v1alpha1
            kind: Incident
            metadata: {name: web-crashloop-r2}
            spec:
              targetRef: {name: victim}
              signal: {type: CrashLoop, message: planted, fingerprint: deployment/web/CrashLoop/r2}
              severity: SEV-1
              policyRef: {name: {{Manifests.PolicyName}}}
            """);
        cluster.StartOperator();

        await cluster.BadRolloutAsync("web", "crashloop");
        var incident = await cluster.IncidentInPhaseAsync("web", IncidentPhase.Resolved);

        Assert.Equal("web-crashloop-r2-2", incident.Metadata.Name);
        Assert.Equal(WellKnown.ManagedByValue, incident.Metadata.Labels[WellKnown.ManagedByLabel]);
        var planted = Assert.Single(await cluster.IncidentsAsync(), i => i.Metadata.Name == "web-crashloop-r2");
        Assert.Equal("victim", planted.Spec.TargetRef.Name);
        Assert.Empty(cluster.RollbackPatches("victim"));
        Assert.Contains(await cluster.EventsAboutAsync("Deployment", "web"), e => e is { Reason: "IncidentNameClash", Type: "Warning" });
    }
}
