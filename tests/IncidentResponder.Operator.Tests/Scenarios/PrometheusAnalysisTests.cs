using IncidentResponder.Api.V1Alpha1;
using k8s;
using IncidentResponder.Core.Metrics;
using IncidentResponder.Operator.Tests.Support;
using IncidentResponder.Simulator.Metrics;
using StatusConditions = IncidentResponder.Runtime.Status.Conditions;

namespace IncidentResponder.Operator.Tests.Scenarios;

/// <summary>
/// Metric analysis against a real Prometheus scraping the simulated application metrics: a rollout whose pods are all
/// Ready but answer 30 % of requests with 500 is invisible to the cluster's own objects, and only the error-ratio
/// check catches it.
/// </summary>
public sealed class PrometheusAnalysisTests
{
    [Fact]
    public async Task A_rollout_serving_errors_from_ready_pods_is_rolled_back_once_and_verified_only_after_the_check_clears()
    {
        if (PrometheusServer.Unavailable() is { } why)
        {
            Assert.Skip(why);
        }

        await using var cluster = await OperatorCluster.StartAsync(metrics: new SimulatedMetricsOptions());
        await using var prometheus = await PrometheusServer.StartAsync(cluster.Cluster.MetricsAddress!);
        await cluster.Kubectl.ApplyAsync(MetricsManifests.RunbookAndPolicy(prometheus.BaseAddress.ToString().TrimEnd('/')));
        await cluster.CreateDeploymentAsync("web");
        await cluster.CreateDeploymentAsync("api");
        cluster.StartOperator();

        // Both Deployments' clean traffic is judged (Prometheus answers with a value) before anything goes wrong.
        await Eventually.TrueAsync(async () => (await prometheus.QueryAsync(Filled("api"))).Count == 1 && (await prometheus.QueryAsync(Filled("web"))).Count == 1,
            "Prometheus has the error ratio of both Deployments");
        await Eventually.TrueAsync(async () => StatusConditions.IsTrue((await PolicyAsync(cluster)).Status?.Conditions, MetricsSettings.AvailableCondition),
            "the policy says Prometheus answers every check");

        await cluster.BadRolloutAsync("web", "errors");
        var incident = await cluster.IncidentInPhaseAsync("web", IncidentPhase.Resolved, TimeSpan.FromSeconds(120));

        // Exactly one incident and one rollback: the stable Deployment under the same policy opened nothing.
        Assert.Single(await cluster.IncidentsAsync());
        Assert.Single(cluster.RollbackPatches("web"));
        Assert.Equal(SignalType.ErrorRate, incident.Spec.Signal.Type);
        Assert.Equal(MetricSignals.Reason, incident.Spec.Signal.Reason);
        Assert.StartsWith("metrics/web/error-ratio/r2", incident.Spec.Signal.Fingerprint, StringComparison.Ordinal);
        var status = incident.Status!;
        var action = Assert.Single(status.Actions!);
        Assert.Equal((ActionType.RolloutUndo, ActionPhase.Succeeded), (action.Type, action.Phase));

        // The record: the filled query (with the failing revision's hash), the value and the threshold.
        var badHash = (await cluster.Client.AppsV1.ListNamespacedReplicaSetAsync(OperatorCluster.Namespace, cancellationToken: TestContext.Current.CancellationToken))
            .Items.Single(rs => rs.Metadata.Annotations["deployment.kubernetes.io/revision"] == "2").Metadata.Labels["pod-template-hash"];
        var message = incident.Spec.Signal.Message!;
        Assert.Contains($"pod_template_hash=\"{badHash}\"", message, StringComparison.Ordinal);
        Assert.Contains("threshold above 0.1", message, StringComparison.Ordinal);
        var value = double.Parse(System.Text.RegularExpressions.Regex.Match(message, @"value (?<v>[0-9.]+)").Groups["v"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(value, 0.25, 0.35);
        Assert.Contains(status.Timeline!, e => e.Type == TimelineEntryType.Detected && e.Message.Contains("value 0.", StringComparison.Ordinal));

        // Verification waited for the check to clear: the metric signal cleared after the rollback started, and the
        // incident was mitigated no sooner than one verify window (2 s) after that.
        // The same check may also have been judged on the stable path while the bad pods still served (it joins this
        // incident, never another): every metric signal of the check cleared, the rollout's own one after the rollback.
        Assert.All(status.Signals!.Where(s => s.Fingerprint.StartsWith(MetricSignals.Prefix, StringComparison.Ordinal)), s => Assert.True(s.Cleared, s.Fingerprint));
        var signal = Assert.Single(status.Signals!, s => s.Fingerprint.StartsWith("metrics/web/error-ratio/r2", StringComparison.Ordinal));
        var clearedAt = signal.LastSeen!.Value;
        Assert.True(clearedAt > action.StartedAt!.Value, $"cleared {clearedAt:O} before the rollback started {action.StartedAt:O}");
        Assert.True(status.MitigatedAt!.Value - clearedAt >= TimeSpan.FromSeconds(2), $"mitigated {status.MitigatedAt:O}, cleared {clearedAt:O}");
        var timeline = status.Timeline!.Select(e => e.Message).ToList();
        var clearedEntry = timeline.FindIndex(m => m.Contains("no longer observed (metrics/web/error-ratio", StringComparison.Ordinal));
        Assert.InRange(clearedEntry, 0, timeline.FindIndex(m => m.StartsWith("Resolved", StringComparison.Ordinal)));
    }

    private static string Filled(string deployment) =>
        $"sum(rate(http_requests_total{{namespace=\"default\",deployment=\"{deployment}\"}}[5s]))";

    private static async Task<RemediationPolicy> PolicyAsync(OperatorCluster cluster) =>
        await cluster.Client.CustomObjects.GetNamespacedCustomObjectAsync<RemediationPolicy>(GroupVersion.Group, GroupVersion.Version,
            OperatorCluster.Namespace, RemediationPolicy.Plural, Manifests.PolicyName, TestContext.Current.CancellationToken);
}
