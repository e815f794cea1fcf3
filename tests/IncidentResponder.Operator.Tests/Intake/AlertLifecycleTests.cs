using System.Net;
using System.Text;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Alerts;
using IncidentResponder.Operator.Tests.Support;
using IncidentResponder.Simulator;
using k8s;
using static IncidentResponder.Testing.AlertPayloads;

namespace IncidentResponder.Operator.Tests.Intake;

/// <summary>Alert groups over their life: opened, joined, re-delivered, resolved; mapped through pods and Services.</summary>
public sealed class AlertLifecycleTests
{
    private const string GroupKey = "{}/{severity=\"critical\"}:{alertname=\"HighErrorRate\", namespace=\"default\"}";

    [Fact]
    public async Task Resolved_alerts_clear_their_signals_the_last_resolves_the_incident_and_redelivery_writes_nothing()
    {
        await using var intake = await IntakeHarness.StartAsync();
        await intake.Cluster.CreateDeploymentAsync("web");
        var name = AlertIncidentNames.For(GroupKey, OperatorCluster.Namespace, "web");

        var opened = await intake.PostAsync(Group(GroupKey, Alert("a1", severity: "warning"), Alert("a2", severity: "critical")));
        var mark = intake.AuditMark();
        var again = await intake.PostAsync(Group(GroupKey, Alert("a1", severity: "warning"), Alert("a2", severity: "critical")));
        var writesOfRedelivery = intake.IncidentWritesSince(mark);
        var oneResolved = await intake.PostAsync(Group(GroupKey, Alert("a1", status: "resolved"), Alert("a2")));
        var afterOne = Assert.Single(await intake.IncidentsAsync());
        var allResolved = await intake.PostAsync(Group(GroupKey, Alert("a1", status: "resolved"), Alert("a2", status: "resolved")));
        var afterAll = Assert.Single(await intake.IncidentsAsync());
        mark = intake.AuditMark();
        var resolvedAgain = await intake.PostAsync(Group(GroupKey, Alert("a1", status: "resolved"), Alert("a2", status: "resolved")));

        Assert.Equal(HttpStatusCode.OK, opened.Code);
        Assert.Equal("Created", (string?)opened.Body["incidents"]![0]!["outcome"]);
        Assert.Equal("Unchanged", (string?)again.Body["incidents"]![0]!["outcome"]);
        Assert.Empty(writesOfRedelivery);
        Assert.Equal(HttpStatusCode.OK, oneResolved.Code);
        Assert.Equal(name, afterOne.Metadata.Name);
        Assert.Equal(Severity.Sev1, afterOne.Status!.Severity);
        Assert.Equal(IncidentPhase.Detected, afterOne.Status.Phase);
        Assert.Equal([true, null], afterOne.Status.Signals!.OrderBy(s => s.Fingerprint).Select(s => s.Cleared));
        Assert.Equal(HttpStatusCode.OK, allResolved.Code);
        Assert.Equal(IncidentPhase.Resolved, afterAll.Status!.Phase);
        Assert.All(afterAll.Status.Signals!, s => Assert.True(s.Cleared));
        Assert.Equal(HttpStatusCode.OK, resolvedAgain.Code);
        Assert.Empty(intake.IncidentWritesSince(mark));
        // Every applied notification counts its alerts: firing 2 + 2 + 1, resolved 1 + 2 + 2.
        Assert.Equal(5, await intake.MetricAsync("incident_responder_alerts_received_total{status=\"firing\"}"));
        Assert.Equal(5, await intake.MetricAsync("incident_responder_alerts_received_total{status=\"resolved\"}"));
    }

    [Fact]
    public async Task Concurrent_deliveries_of_a_new_group_converge_on_one_incident()
    {
        // Two Alertmanager replicas (an HA pair) each deliver the group, to different operator replicas or at once.
        await using var intake = await IntakeHarness.StartAsync();
        await intake.Cluster.CreateDeploymentAsync("web");
        var payload = Group(GroupKey, Alert("a1"), Alert("a2"), Alert("a3"));

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => intake.PostAsync(payload)));

        Assert.All(answers, a => Assert.True(a.Code == HttpStatusCode.OK, a.Body.ToJsonString()));
        Assert.Single(answers, a => (string?)a.Body["incidents"]![0]!["outcome"] == "Created");
        var incident = Assert.Single(await intake.IncidentsAsync());
        Assert.Equal(["alert/a1", "alert/a2", "alert/a3"], incident.Status!.Signals!.Select(s => s.Fingerprint).Order());
        Assert.Single(incident.Status.Timeline!, t => t.Type == TimelineEntryType.Triaged);
    }

    [Fact]
    public async Task A_pod_label_maps_to_the_pods_deployment_and_a_service_label_to_the_deployment_it_selects()
    {
        await using var intake = await IntakeHarness.StartAsync();
        await intake.Cluster.CreateDeploymentAsync("web");
        await intake.Cluster.CreateDeploymentAsync("api");
        (await intake.Cluster.Kubectl.RunAsync("expose", "deployment", "api", "--port=80")).ShouldSucceed();
        var pod = (await intake.Cluster.Client.CoreV1.ListNamespacedPodAsync(OperatorCluster.Namespace, labelSelector: "app=web",
            cancellationToken: TestContext.Current.CancellationToken)).Items.First().Metadata.Name;

        var byPod = await intake.PostAsync(Group("{}:{alertname=\"KubePodCrashLooping\"}", Alert("p1", deployment: pod, label: "pod", alertname: "KubePodCrashLooping")));
        var byService = await intake.PostAsync(Group("{}:{alertname=\"HighLatency\"}", Alert("s1", deployment: "api", label: "service", alertname: "HighLatency")));

        Assert.Equal(HttpStatusCode.OK, byPod.Code);
        Assert.Equal(HttpStatusCode.OK, byService.Code);
        var incidents = await intake.IncidentsAsync();
        Assert.Equal(["api", "web"], incidents.Select(i => i.Spec.TargetRef.Name).Order());
        Assert.Equal("KubePodCrashLooping", incidents.Single(i => i.Spec.TargetRef.Name == "web").Spec.Signal.Reason);
    }

    [Fact]
    public async Task An_alert_routed_by_the_policy_names_its_runbook_and_takes_its_pinned_severity()
    {
        await using var intake = await IntakeHarness.StartAsync();
        await intake.Cluster.CreateDeploymentAsync("web");
        await intake.Cluster.Kubectl.ApplyAsync("""
            apiVersion: incidentresponder.dev/v1alpha1
            kind: Runbook
            metadata:
              name: alert-runbook
            spec:
              title: Alert
              severity: SEV-3
              signals: [Alert]
              steps:
                - name: tell-people
                  action: {type: Note, note: an alert fired}
            ---
            apiVersion: incidentresponder.dev/v1alpha1
            kind: RemediationPolicy
            metadata:
              name: shop
            spec:
              signals:
                - signal: Alert
                  runbookRef:
                    name: alert-runbook
                  severity: SEV-2
            """);

        var (code, body) = await intake.PostAsync(Group(GroupKey, Alert("a1", severity: "info")));

        Assert.True(code == HttpStatusCode.OK, body.ToJsonString());
        var incident = Assert.Single(await intake.IncidentsAsync());
        Assert.Equal("alert-runbook", incident.Spec.RunbookRef?.Name);
        Assert.Equal("shop", incident.Spec.PolicyRef?.Name);
        Assert.Equal(Severity.Sev2, incident.Status!.Severity);

        // The remediation controller takes the alert incident from there, as any other: it runs the runbook's step.
        await using var running = intake.Cluster.StartOperator();
        await Eventually.TrueAsync(async () => (await intake.IncidentsAsync()).Single().Status?.Timeline?.Exists(t => t.Message.Contains("an alert fired", StringComparison.Ordinal)) == true,
            "the runbook's Note step in the alert incident's timeline");
    }

    [Fact]
    public async Task A_rotated_token_is_honoured_and_the_old_one_refused_without_a_restart()
    {
        await using var intake = await IntakeHarness.StartAsync();
        await intake.Cluster.CreateDeploymentAsync("web");
        var payload = Group(GroupKey, Alert("a1"));
        Assert.Equal(HttpStatusCode.OK, (await intake.PostAsync(payload)).Code);
        Assert.True((await intake.Options.Health.CheckAsync(TestContext.Current.CancellationToken)).IsHealthy);

        var rotated = Convert.ToBase64String(Encoding.UTF8.GetBytes("rotated-token\n"));
        (await intake.Cluster.Kubectl.RunAsync("patch", "secret", IntakeHarness.TokenSecret, "--type=merge", "-p", $"{{\"data\":{{\"token\":\"{rotated}\"}}}}")).ShouldSucceed();

        Assert.Equal(HttpStatusCode.OK, (await intake.PostAsync(payload, "Bearer rotated-token")).Code);
        Assert.Equal(HttpStatusCode.Unauthorized, (await intake.PostAsync(payload)).Code);
        Assert.Equal(1, await intake.MetricAsync("incident_responder_alert_requests_total{code=\"401\"}"));
        Assert.Equal(2, await intake.MetricAsync("incident_responder_alert_requests_total{code=\"200\"}"));
    }

    [Fact]
    public async Task Without_its_token_secret_the_endpoint_answers_503_so_alertmanager_retries()
    {
        await using var intake = await IntakeHarness.StartAsync();
        (await intake.Cluster.Kubectl.RunAsync("delete", "secret", IntakeHarness.TokenSecret)).ShouldSucceed();

        var (code, body) = await intake.PostAsync(Group(GroupKey, Alert("a1")), "Bearer anything");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, code);
        Assert.Contains("not found", (string?)body["error"], StringComparison.Ordinal);
        Assert.False(intake.Endpoint.IsHealthy());
        var health = await intake.Options.Health.CheckAsync(TestContext.Current.CancellationToken);
        Assert.False(health.IsHealthy);
        Assert.False(intake.Options.Health.IsCritical);
        Assert.Equal($"the webhook token cannot be read: Secret default/{IntakeHarness.TokenSecret} not found", health.Message);
    }

    [Fact]
    public async Task When_the_api_server_fails_midway_the_answer_is_503_and_the_retry_completes_the_incident()
    {
        await using var intake = await IntakeHarness.StartAsync();
        await intake.Cluster.CreateDeploymentAsync("web");
        var payload = Group(GroupKey, Alert("a1"), Alert("a2"));

        HttpStatusCode failed;
        using (intake.Cluster.Cluster.Hooks.InjectFault(new FaultRule { Verb = "patch", Resource = Incident.Plural, Subresource = "status", StatusCode = 503 }))
        {
            failed = (await intake.PostAsync(payload)).Code;
        }

        var created = Assert.Single(await intake.IncidentsAsync());
        var retried = await intake.PostAsync(payload);
        var incident = Assert.Single(await intake.IncidentsAsync());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed);
        Assert.Null(created.Status?.Phase);
        Assert.Equal(HttpStatusCode.OK, retried.Code);
        Assert.Equal(created.Metadata.Name, incident.Metadata.Name);
        Assert.Equal(IncidentPhase.Detected, incident.Status?.Phase);
        Assert.Equal(["alert/a1", "alert/a2"], incident.Status!.Signals!.Select(s => s.Fingerprint).Order());
        Assert.Equal(1, await intake.MetricAsync("incident_responder_alert_requests_total{code=\"503\"}"));
    }

    [Fact]
    public async Task When_the_api_server_cannot_be_read_nothing_is_written()
    {
        await using var intake = await IntakeHarness.StartAsync();
        await intake.Cluster.CreateDeploymentAsync("web");
        var mark = intake.AuditMark();

        HttpStatusCode code;
        using (intake.Cluster.Cluster.Hooks.InjectFault(new FaultRule { Verb = "get", Resource = "deployments", StatusCode = 500 }))
        {
            code = (await intake.PostAsync(Group(GroupKey, Alert("a1")))).Code;
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, code);
        Assert.Empty(intake.IncidentWritesSince(mark));
        Assert.Empty(await intake.IncidentsAsync());
    }
}
