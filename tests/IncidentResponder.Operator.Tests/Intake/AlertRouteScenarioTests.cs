using System.Net;
using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;
using k8s;
using static IncidentResponder.Testing.AlertPayloads;

namespace IncidentResponder.Operator.Tests.Intake;

/// <summary>
/// Alerts carry their meaning: the shipped sample policy's alert routes turn Alertmanager notifications into
/// DependencyFailure and DataIssue incidents, and the shipped decision-tree runbook takes each down its branch.
/// </summary>
public sealed class AlertRouteScenarioTests
{
    private const string PaymentGroup = "{}/{namespace=\"default\"}:{alertname=\"PaymentServiceErrors\"}";
    private const string DataGroup = "{}/{namespace=\"default\"}:{alertname=\"DataIntegrityCheckFailed\"}";

    [Fact]
    public async Task A_payment_dependency_alert_flips_the_feature_flag_off_and_its_resolution_flips_it_back()
    {
        await using var intake = await StartWithSamplesAsync();
        await intake.Cluster.Kubectl.ApplyAsync("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: feature-flags}
            data: {payment_service: "true"}
            """);
        intake.Cluster.StartOperator();

        var firing = await intake.PostAsync(Group(PaymentGroup, PaymentAlert("firing")));
        Assert.Equal(HttpStatusCode.OK, firing.Code);
        await Eventually.TrueAsync(async () => await FlagAsync(intake) == "false", "payment_service flipped to false");

        var incident = Assert.Single(await intake.IncidentsAsync());
        Assert.Equal((SignalType.DependencyFailure, "decision-tree"), (incident.Spec.Signal.Type, incident.Spec.RunbookRef!.Name));
        var flip = Assert.Single(incident.Status!.Actions!, a => a.Type == ActionType.FeatureFlag);
        Assert.Equal("disable-failing-dependency", flip.Step);
        Assert.NotEqual(IncidentPhase.Resolved, incident.Status.Phase);

        // Alertmanager says the payment errors are over: the incident resolves and the flag is switched back on.
        Assert.Equal(HttpStatusCode.OK, (await intake.PostAsync(Group(PaymentGroup, PaymentAlert("resolved")))).Code);
        await Eventually.TrueAsync(async () => await FlagAsync(intake) == "true", "payment_service flipped back to true", TimeSpan.FromSeconds(150));
        var resolved = Assert.Single(await intake.IncidentsAsync());
        Assert.Equal(IncidentPhase.Resolved, resolved.Status!.Phase);
    }

    [Fact]
    public async Task A_data_integrity_alert_escalates_to_people_with_the_playbooks_guidance()
    {
        await using var intake = await StartWithSamplesAsync();
        intake.Cluster.StartOperator();

        var alert = Alert("rows1", alertname: "DataIntegrityCheckFailed", severity: "warning");
        Assert.Equal(HttpStatusCode.OK, (await intake.PostAsync(Group(DataGroup, alert))).Code);

        var incident = await intake.Cluster.IncidentInPhaseAsync("web", IncidentPhase.Escalated);
        Assert.Equal(SignalType.DataIssue, incident.Spec.Signal.Type);
        // The route's SEV-2 replaces the alert's "warning" (SEV-3).
        Assert.Equal(Severity.Sev2, incident.Status!.Severity);
        var escalated = Assert.Single(incident.Status.Conditions!, c => c.Type == Conditions.Escalated);
        Assert.Contains("step data-issue-to-humans: Data issue: revert the data change or restore from backup", escalated.Message, StringComparison.Ordinal);
        Assert.Contains("@dba-team", escalated.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(incident.Status.Actions ?? [], a => a.Type is not ActionType.Escalate);
    }

    /// <summary>The sample Runbook and RemediationPolicy applied to the namespace, and a Deployment "web" with one revision.</summary>
    private static async Task<IntakeHarness> StartWithSamplesAsync()
    {
        var intake = await IntakeHarness.StartAsync([OperatorCluster.Namespace]);
        (await intake.Cluster.Kubectl.RunAsync("apply", "-n", OperatorCluster.Namespace,
            "-f", RepositoryRoot.Combine("config/samples/runbook_decision_tree.yaml"),
            "-f", RepositoryRoot.Combine("config/samples/remediationpolicy_automatic.yaml"))).ShouldSucceed();
        await intake.Cluster.CreateDeploymentAsync("web");
        return intake;
    }

    /// <summary>An alert from the payment service's error-rate rule, about Deployment web, with the dependency label the route matches.</summary>
    private static JsonObject PaymentAlert(string status)
    {
        var alert = Alert("pay1", status: status, alertname: "PaymentServiceErrors");
        alert["labels"]!["dependency"] = "payment-eu";
        return alert;
    }

    private static async Task<string?> FlagAsync(IntakeHarness intake) =>
        (await intake.Cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("feature-flags", OperatorCluster.Namespace,
            cancellationToken: TestContext.Current.CancellationToken)).Data?["payment_service"];
}
