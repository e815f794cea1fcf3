using System.Text.Json;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Alerts;
using IncidentResponder.Core.Incidents;
using static IncidentResponder.Core.Tests.Alerts.AlertParsing;
using static IncidentResponder.Testing.AlertPayloads;

namespace IncidentResponder.Core.Tests.Alerts;

public sealed class AlertIncidentRecordTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 5, 0, TimeSpan.Zero);
    private static readonly TargetFacts Targets = new Facts().Deployment(Namespace, "web", app: "web").Deployment(Namespace, "api", app: "api").Build();

    private static IncidentPlan PlanOf(params System.Text.Json.Nodes.JsonObject[] alerts) =>
        Assert.Single(AlertIntakePlanner.Plan(Parsed(Group(alerts)), Targets).Incidents);

    private static string Json(IncidentStatus status) => JsonSerializer.Serialize(status);

    [Fact]
    public void The_oldest_firing_alert_opens_the_incident_and_every_firing_alert_is_a_signal()
    {
        var plan = PlanOf(Alert("b", startsAt: "2024-05-01T12:01:00Z", severity: "warning"), Alert("a", startsAt: "2024-05-01T12:00:00Z"));

        var status = AlertIncidentRecord.Apply(null, plan, policy: null, Now);

        Assert.Equal(IncidentPhase.Detected, status.Phase);
        Assert.Equal(Severity.Sev1, status.Severity);
        Assert.Equal(new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc), status.DetectedAt);
        Assert.Equal("5m0s", status.TimeToDetect);
        Assert.Equal(["alert/a", "alert/b"], status.Signals!.Select(s => s.Fingerprint));
        Assert.All(status.Signals!, s => Assert.Equal(SignalType.Alert, s.Type));
        Assert.Contains(status.Timeline!, t => t.Message == "SEV-1: alert HighErrorRate has severity \"critical\"");
    }

    [Fact]
    public void The_spec_names_the_source_target_signal_and_the_policys_runbook()
    {
        var plan = PlanOf(Alert("a"));

        var spec = AlertIncidentRecord.Spec(Parsed(Group(Alert("a"))), plan, AlertPolicy.RoutingAlerts("shop-policy", "alert-runbook"));

        Assert.Equal(IncidentSource.Alertmanager, spec.Source);
        Assert.Equal("web", spec.TargetRef.Name);
        Assert.Equal("Deployment", spec.TargetRef.Kind);
        Assert.Equal(SignalType.Alert, spec.Signal.Type);
        Assert.Equal("HighErrorRate", spec.Signal.Reason);
        Assert.Equal("alert/a", spec.Signal.Fingerprint);
        Assert.Equal(Severity.Sev1, spec.Severity);
        Assert.Equal("shop-policy", spec.PolicyRef!.Name);
        Assert.Equal("alert-runbook", spec.RunbookRef!.Name);
        Assert.Equal("web: alert HighErrorRate: 5xx above 5% on web", spec.Summary);
    }

    [Fact]
    public void A_policy_that_routes_no_runbook_for_the_alerts_signal_is_not_referenced()
    {
        var spec = AlertIncidentRecord.Spec(Parsed(Group(Alert("a"))), PlanOf(Alert("a")), AlertPolicy.RoutingAlerts("shop-policy", null));

        Assert.Null(spec.RunbookRef);
        Assert.Null(spec.PolicyRef);
        Assert.Equal(Severity.Sev1, spec.Severity);
    }

    [Fact]
    public void Applying_the_same_notification_again_changes_nothing()
    {
        var plan = PlanOf(Alert("a"), Alert("b", status: "resolved"));
        var once = AlertIncidentRecord.Apply(null, plan, null, Now);

        var twice = AlertIncidentRecord.Apply(once, plan, null, Now.AddMinutes(5));

        Assert.Equal(Json(once), Json(twice));
    }

    [Fact]
    public void A_resolved_alert_clears_its_signal_and_the_last_one_resolves_the_incident()
    {
        var opened = AlertIncidentRecord.Apply(null, PlanOf(Alert("a"), Alert("b")), null, Now);

        var oneCleared = AlertIncidentRecord.Apply(opened, PlanOf(Alert("a", status: "resolved"), Alert("b")), null, Now.AddMinutes(1));
        var allCleared = AlertIncidentRecord.Apply(oneCleared, PlanOf(Alert("a", status: "resolved"), Alert("b", status: "resolved")), null, Now.AddMinutes(2));

        Assert.Equal(IncidentPhase.Detected, oneCleared.Phase);
        Assert.Equal([true, null], oneCleared.Signals!.Select(s => s.Cleared));
        Assert.Equal(IncidentPhase.Resolved, allCleared.Phase);
        Assert.Equal(Now.AddMinutes(2).UtcDateTime, allCleared.ResolvedAt);
        Assert.Equal("Resolved: every alert of the group is resolved", allCleared.Timeline![^1].Message);
    }

    [Fact]
    public void An_incident_with_a_step_in_flight_is_left_open_when_its_alerts_resolve()
    {
        var opened = AlertIncidentRecord.Apply(null, PlanOf(Alert("a")), null, Now);
        var acting = IncidentStateMachine.Apply(opened, new IncidentEvent.IntentRecorded("rollback", ActionType.RolloutUndo, 1, "alert"), Now);

        var after = AlertIncidentRecord.Apply(acting, PlanOf(Alert("a", status: "resolved")), null, Now.AddMinutes(1));

        Assert.NotEqual(IncidentPhase.Resolved, after.Phase);
        Assert.True(Assert.Single(after.Signals!).Cleared);
    }

    [Fact]
    public void Resolved_alerts_for_an_incident_never_opened_open_nothing()
    {
        var status = AlertIncidentRecord.Apply(null, PlanOf(Alert("a", status: "resolved")), null, Now);

        Assert.Null(status.Phase);
        Assert.False(PlanOf(Alert("a", status: "resolved")).CanOpen);
    }

    [Fact]
    public void A_resolved_incident_whose_group_fires_again_is_reopened()
    {
        var resolved = AlertIncidentRecord.Apply(AlertIncidentRecord.Apply(null, PlanOf(Alert("a")), null, Now),
            PlanOf(Alert("a", status: "resolved")), null, Now.AddMinutes(1));

        var reopened = AlertIncidentRecord.Apply(resolved, PlanOf(Alert("a")), null, Now.AddMinutes(2));

        Assert.Equal(IncidentPhase.Resolved, resolved.Phase);
        Assert.Equal(IncidentPhase.Detected, reopened.Phase);
        Assert.Null(Assert.Single(reopened.Signals!).Cleared);
    }

    [Fact]
    public void Severity_rises_with_a_worse_alert_but_never_falls_on_its_own()
    {
        var opened = AlertIncidentRecord.Apply(null, PlanOf(Alert("a", severity: "warning")), null, Now);

        var worse = AlertIncidentRecord.Apply(opened, PlanOf(Alert("a", severity: "warning"), Alert("b", severity: "critical")), null, Now.AddMinutes(1));
        var milder = AlertIncidentRecord.Apply(worse, PlanOf(Alert("a", severity: "warning")), null, Now.AddMinutes(2));

        Assert.Equal(Severity.Sev3, opened.Severity);
        Assert.Equal(Severity.Sev1, worse.Severity);
        Assert.Equal(Severity.Sev1, milder.Severity);
    }

    [Fact]
    public void A_group_over_several_deployments_is_one_incident_each_and_unmapped_alerts_are_kept_apart()
    {
        var plan = AlertIntakePlanner.Plan(Parsed(Group(Alert("a"), Alert("b", deployment: "api"), Alert("c", deployment: "gone"), Alert("d", deployment: null))), Targets);

        Assert.Equal(["api", "web"], plan.Incidents.Select(i => i.Target.Deployment.Name));
        Assert.Equal(2, plan.Incidents.Select(i => i.Name).Distinct().Count());
        Assert.Equal(["c", "d"], plan.Unmapped.Select(u => u.Alert.Fingerprint));
    }
}
