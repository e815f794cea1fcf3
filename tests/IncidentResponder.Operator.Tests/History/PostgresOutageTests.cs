using System.Diagnostics;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.History;
using IncidentResponder.Operator.Tests.Support;

namespace IncidentResponder.Operator.Tests.History;

/// <summary>
/// PostgreSQL stops in the middle of an incident. The operator keeps remediating, says it is degraded and how far
/// behind it is, holds the deleted Incident with its finalizer, and once the server is back records every action and
/// timeline entry, then lets the Incident go.
/// </summary>
public sealed class PostgresOutageTests
{
    [Fact]
    public async Task Stopping_postgres_mid_incident_loses_no_record_once_it_is_back()
    {
        await using var scenario = await HistoryScenario.StartAsync();
        var cluster = scenario.Cluster;
        // A verification window long enough to stop the database between opening and resolution.
        await cluster.ApplyRunbookAndPolicyAsync(runbook: new RunbookSettings { VerifyWindow = "6s" });
        await cluster.CreateDeploymentAsync("web");
        scenario.StartOperator();

        await cluster.BadRolloutAsync("web", "crashloop");
        var open = await Eventually.ValueAsync(async () => (await cluster.IncidentsAsync()).FirstOrDefault(i => i.Spec.TargetRef.Name == "web"), "an incident for web");
        await Eventually.TrueAsync(async () => await scenario.RecordAsync(open) is not null, "the opened incident in the history");

        await scenario.Postgres.StopAsync();
        var atStop = (await scenario.IncidentAsync(open.Metadata.Name))!;
        Assert.NotEqual(IncidentPhase.Resolved, atStop.Status?.Phase);

        // Remediation goes on without the database: the rollback happens, is verified, and the incident resolves.
        var resolved = await cluster.IncidentInPhaseAsync("web", IncidentPhase.Resolved);
        Assert.Contains(resolved.Status!.Actions!, a => a is { Type: ActionType.RolloutUndo, Phase: ActionPhase.Succeeded });
        Assert.Equal("nginx:1.25", (await cluster.DeploymentAsync("web")).Spec.Template.Spec.Containers[0].Image);

        // Degraded, not down: the readiness check is failing but not critical; the backlog is visible.
        await Eventually.TrueAsync(async () => await scenario.MetricAsync("incident_responder_history_pending_records") >= 1
            && await scenario.MetricAsync("incident_responder_history_writes_total{outcome=\"failed\"}") >= 1, "pending records and failed writes reported");
        var readiness = scenario.HistoryReadiness();
        Assert.False(readiness.IsCritical);
        Assert.False((await readiness.CheckAsync(TestContext.Current.CancellationToken)).IsHealthy);

        // Deleted while the database is down: the finalizer holds the Incident, and the operator keeps trying.
        var name = resolved.Metadata.Name;
        (await cluster.Kubectl.RunAsync("delete", "incident", name, "--wait=false")).ShouldSucceed();
        var terminating = await Eventually.ValueAsync(async () => (await scenario.IncidentAsync(name)) is { Metadata.DeletionTimestamp: not null } i ? i : null,
            "the Incident marked for deletion");
        Assert.Contains(HistoryReconciler.Finalizer, terminating.Metadata.Finalizers ?? []);
        var failuresSoFar = await scenario.MetricAsync("incident_responder_history_writes_total{outcome=\"failed\"}");
        await Eventually.TrueAsync(async () => await scenario.MetricAsync("incident_responder_history_writes_total{outcome=\"failed\"}") > failuresSoFar,
            "a retry of the deleted incident's final snapshot failing while the database is down");
        Assert.NotNull(await scenario.IncidentAsync(name));
        Assert.True(await scenario.MetricAsync("incident_responder_history_lag_seconds") > 0);

        var outage = Stopwatch.StartNew();
        await scenario.Postgres.StartAgainAsync();
        await Eventually.TrueAsync(async () => await scenario.IncidentAsync(name) is null, "the Incident released once its final snapshot is recorded");
        TestContext.Current.TestOutputHelper?.WriteLine($"catch-up after PostgreSQL restart: {outage.Elapsed.TotalSeconds:0.00}s");

        var record = await scenario.Store.IncidentAsync(terminating.Metadata.Uid, TestContext.Current.CancellationToken);
        Assert.NotNull(record);
        Assert.Equal("Resolved", record.Incident.Phase);
        Assert.NotNull(record.Incident.DeletedAt);
        Assert.NotNull(record.Incident.MitigatedAt);
        HistoryScenario.AssertHoldsEverything(terminating, record);
        await Eventually.TrueAsync(async () => await scenario.MetricAsync("incident_responder_history_pending_records") == 0
            && await scenario.MetricAsync("incident_responder_history_lag_seconds") == 0, "nothing pending any more");
        Assert.True((await scenario.HistoryReadiness().CheckAsync(TestContext.Current.CancellationToken)).IsHealthy);
    }
}
