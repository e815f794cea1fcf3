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

    [Fact]
    public async Task A_route_whose_regex_does_not_compile_makes_the_policy_not_ready_naming_the_route_until_it_is_fixed()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.Kubectl.ApplyAsync(Manifests.Runbook(new RunbookSettings()) + "\n---\n" + RoutedPolicy("payment("));
        cluster.StartOperator();

        var broken = await ReadyConditionAsync(cluster, c => c.Status == "False");
        Assert.Equal(AlertSettings.InvalidRouteReason, broken.Reason);
        Assert.StartsWith("spec.alerts.routes[1].matchers[0] (alert PaymentServiceErrors): value \"payment(\" is not a valid regular expression", broken.Message,
            StringComparison.Ordinal);

        await cluster.Kubectl.ApplyAsync(RoutedPolicy("payment(-[a-z]+)?"));
        var fixedUp = await ReadyConditionAsync(cluster, c => c.Status == "True");
        Assert.Equal(Conditions.Reasons.Valid, fixedUp.Reason);
    }

    private static string RoutedPolicy(string regex) => $$$"""
        apiVersion: incidentresponder.dev/v1alpha1
        kind: RemediationPolicy
        metadata: {name: routed}
        spec:
          signals:
            - {signal: Alert, runbookRef: {name: {{{Manifests.RunbookName}}} }}
          alerts:
            routes:
              - {alertName: HighErrorRate, signal: ErrorRate}
              - alertName: PaymentServiceErrors
                matchers: [{name: dependency, value: "{{{regex}}}", isRegex: true}]
                signal: DependencyFailure
        """;

    /// <summary>The policy's Ready condition once it is current for the policy's generation and satisfies <paramref name="wanted"/>.</summary>
    private static Task<k8s.Models.V1Condition> ReadyConditionAsync(OperatorCluster cluster, Func<k8s.Models.V1Condition, bool> wanted) =>
        Eventually.ValueAsync(async () =>
        {
            var policy = await cluster.Client.CustomObjects.GetNamespacedCustomObjectAsync<RemediationPolicy>(GroupVersion.Group, GroupVersion.Version,
                OperatorCluster.Namespace, RemediationPolicy.Plural, "routed", cancellationToken: TestContext.Current.CancellationToken);
            var ready = policy.Status?.Conditions?.Find(c => c.Type == Conditions.Ready);
            return ready is not null && ready.ObservedGeneration == policy.Metadata.Generation && wanted(ready) ? ready : null;
        }, "the policy's Ready condition");

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
