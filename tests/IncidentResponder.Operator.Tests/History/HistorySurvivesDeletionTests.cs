using System.Diagnostics;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Evidence;
using IncidentResponder.Operator.History;
using IncidentResponder.Operator.Tests.Support;
using k8s;

namespace IncidentResponder.Operator.Tests.History;

public sealed class HistorySurvivesDeletionTests
{
    [Fact]
    public async Task A_deleted_incident_keeps_its_whole_record_and_its_finalizer_goes_only_after_it_is_recorded()
    {
        await using var scenario = await HistoryScenario.StartAsync();
        var cluster = scenario.Cluster;
        await cluster.ApplyRunbookAndPolicyAsync();
        await cluster.CreateDeploymentAsync("web");
        scenario.StartOperator();

        var opened = Stopwatch.StartNew();
        await cluster.BadRolloutAsync("web", "crashloop");
        var resolved = await cluster.IncidentInPhaseAsync("web", IncidentPhase.Resolved);
        var resolvedSeen = opened.Elapsed;
        Assert.Contains(HistoryReconciler.Finalizer, resolved.Metadata.Finalizers ?? []);
        await Eventually.TrueAsync(async () => (await scenario.RecordAsync(resolved))?.Incident.Phase == "Resolved", "the resolved incident in the history");
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"bad rollout → resolved: {resolvedSeen.TotalSeconds:0.00}s; resolution seen in the API → in the history: {(opened.Elapsed - resolvedSeen).TotalMilliseconds:0}ms");

        // Whatever evidence and post-mortem ConfigMaps the other features wrote are recorded too (read by name).
        var name = resolved.Metadata.Name;
        await Eventually.TrueAsync(async () =>
        {
            var record = await scenario.RecordAsync(resolved);
            var evidence = await ConfigMapAsync(cluster, IncidentConfigMaps.EvidenceName(name));
            var postmortem = await ConfigMapAsync(cluster, IncidentConfigMaps.PostmortemName(name));
            return record is not null
                && record.Evidence?.Markdown == Value(evidence, IncidentConfigMaps.EvidenceMarkdownKey)
                && record.PostmortemMarkdown == Value(postmortem, IncidentConfigMaps.PostmortemKey);
        }, "the incident's ConfigMaps in the history as they are in the cluster");

        var final = (await scenario.IncidentAsync(name))!;
        (await cluster.Kubectl.RunAsync("delete", "incident", name, "--wait=false")).ShouldSucceed();
        await Eventually.TrueAsync(async () => await scenario.IncidentAsync(name) is null, "the Incident gone once its finalizer is removed");

        var kept = await scenario.Store.LatestIncidentAsync(OperatorCluster.Namespace, name, TestContext.Current.CancellationToken);
        Assert.NotNull(kept);
        Assert.Equal(final.Metadata.Uid, kept.Incident.Uid);
        Assert.NotNull(kept.Incident.DeletedAt);
        HistoryScenario.AssertHoldsEverything(final, kept);
        Assert.Contains(kept.Actions, a => a is { Type: "RolloutUndo", Phase: "Succeeded" });
    }

    private static string? Value(IDictionary<string, string>? data, string key) => data is not null && data.TryGetValue(key, out var value) ? value : null;

    private static async Task<IDictionary<string, string>?> ConfigMapAsync(OperatorCluster cluster, string name)
    {
        var list = await cluster.Client.CoreV1.ListNamespacedConfigMapAsync(OperatorCluster.Namespace, fieldSelector: $"metadata.name={name}",
            cancellationToken: TestContext.Current.CancellationToken);
        return list.Items.FirstOrDefault()?.Data;
    }
}
