using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Intake;
using IncidentResponder.Simulator.Kubelet;
using IncidentResponder.Simulator.Metrics;
using k8s;

namespace IncidentResponder.Operator.Tests.Scenarios;

/// <summary>
/// The Alertmanager pipeline end to end, nothing posted by hand: the simulated payment service's errors are scraped by
/// a real Prometheus, whose rule fires; a real Alertmanager posts it to the operator's webhook with the bearer token;
/// the sample policy's route makes it a DependencyFailure of web, and the decision tree switches the feature off. When
/// the errors stop, the rule resolves, Alertmanager says so, the flag is switched back on and the incident resolves.
/// </summary>
public sealed class DependencyAlertPipelineTests
{
    [Fact]
    public async Task A_dependency_alert_from_real_prometheus_and_alertmanager_flips_the_flag_and_its_resolution_flips_it_back()
    {
        if ((PrometheusServer.Unavailable() ?? AlertmanagerServer.Unavailable()) is { } why)
        {
            Assert.Skip(why);
        }

        await using var intake = await IntakeHarness.StartAsync([Support.OperatorCluster.Namespace], new SimulatedMetricsOptions());
        var cluster = intake.Cluster;
        (await cluster.Kubectl.RunAsync("apply", "-n", Support.OperatorCluster.Namespace,
            "-f", RepositoryRoot.Combine("config/samples/runbook_decision_tree.yaml"),
            "-f", RepositoryRoot.Combine("config/samples/remediationpolicy_automatic.yaml"))).ShouldSucceed();
        await cluster.Kubectl.ApplyAsync("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: feature-flags}
            data: {payment_service: "true"}
            """);
        await cluster.CreateDeploymentAsync("web");
        // The payment provider web depends on, failing every request it serves.
        await cluster.CreateDeploymentAsync("payment", replicas: 1);
        (await cluster.Kubectl.RunAsync("annotate", "pods", "-l", "app=payment", $"{FaultSpec.FaultAnnotation}=errors", "--overwrite")).ShouldSucceed();
        cluster.StartOperator();

        await using var alertmanager = await AlertmanagerServer.StartAsync(intake.Url, IntakeHarness.Token);
        await using var prometheus = await PrometheusServer.StartAsync(cluster.Cluster.MetricsAddress!, [PaymentRuleFile()], alertmanager.BaseAddress);

        await Eventually.TrueAsync(async () => await FlagAsync(intake) == "false", "payment_service flipped off after the alert fired", TimeSpan.FromSeconds(120));
        var mitigating = Assert.Single(await intake.IncidentsAsync());
        Assert.Equal((SignalType.DependencyFailure, "web", "decision-tree"), (mitigating.Spec.Signal.Type, mitigating.Spec.TargetRef.Name, mitigating.Spec.RunbookRef!.Name));
        Assert.Equal(IncidentSource.Alertmanager, mitigating.Spec.Source);
        Assert.NotEqual(IncidentPhase.Resolved, mitigating.Status!.Phase);

        // With the feature off nothing calls the provider; here its errors simply stop, and the rule's window drains.
        (await cluster.Kubectl.RunAsync("annotate", "pods", "-l", "app=payment", $"{FaultSpec.FaultAnnotation}-")).ShouldSucceed();
        await Eventually.TrueAsync(async () => await FlagAsync(intake) == "true", "payment_service flipped back on after the alert resolved", TimeSpan.FromSeconds(180));

        // The flip-back is written before its record says so (intent first): wait for the record too.
        var resolved = await Eventually.ValueAsync(async () => (await intake.IncidentsAsync()).SingleOrDefault(i => i.Status?.Actions?.Any(a =>
            a.Step == "revert-disable-failing-dependency" && a.Phase == ActionPhase.Succeeded) == true), "the flip-back recorded as succeeded");
        Assert.Equal(IncidentPhase.Resolved, resolved.Status!.Phase);
        Assert.All(resolved.Status.Signals!, s => Assert.True(s.Cleared));
        var flips = resolved.Status.Actions!.Where(a => a.Type == ActionType.FeatureFlag).ToList();
        Assert.Equal(["disable-failing-dependency", "revert-disable-failing-dependency"], flips.Select(a => a.Step));
        Assert.All(flips, a => Assert.Equal(ActionPhase.Succeeded, a.Phase));
        // The flip and its flip-back are all the incident did: no escalation, no other action.
        Assert.Equal(flips.Count, resolved.Status.Actions!.Count);
    }

    /// <summary>
    /// A rule over the simulator's request metrics: the payment Deployment's error ratio above 5% over 20 s is web's
    /// dependency failing (the rule's labels name web and the dependency the sample policy's route matches).
    /// </summary>
    private static string PaymentRuleFile()
    {
        var rule = new JsonObject
        {
            ["alert"] = "PaymentServiceErrors",
            ["expr"] = "sum by (namespace) (rate(http_requests_total{deployment=\"payment\",code=~\"5..\"}[20s]))"
                + " / sum by (namespace) (rate(http_requests_total{deployment=\"payment\"}[20s])) > 0.05",
            ["labels"] = new JsonObject { ["deployment"] = "web", ["dependency"] = "payment-eu", ["severity"] = "critical" },
            ["annotations"] = new JsonObject { ["summary"] = "web's payment provider fails" },
        };
        var directory = Directory.CreateTempSubdirectory("payment-rules").FullName;
        var path = Path.Combine(directory, "rules.json");
        File.WriteAllText(path, new JsonObject { ["groups"] = new JsonArray(new JsonObject { ["name"] = "dependencies", ["rules"] = new JsonArray(rule) }) }.ToJsonString());
        return path;
    }

    private static async Task<string?> FlagAsync(IntakeHarness intake) =>
        (await intake.Cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("feature-flags", Support.OperatorCluster.Namespace,
            cancellationToken: TestContext.Current.CancellationToken)).Data?["payment_service"];
}
