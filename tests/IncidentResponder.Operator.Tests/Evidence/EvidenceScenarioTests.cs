using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Evidence;
using IncidentResponder.Operator.Evidence;
using IncidentResponder.Operator.Tests.Support;
using IncidentResponder.Simulator.Kubelet;
using k8s;

namespace IncidentResponder.Operator.Tests.Evidence;

/// <summary>The playbook's phase 4, automated: evidence for a crash-looping rollout, collected once, bounded and redacted.</summary>
public sealed class EvidenceScenarioTests
{
    [Fact]
    public async Task Evidence_for_a_crash_looping_rollout_has_the_last_log_lines_current_and_previous_and_the_BackOff_events_with_secrets_masked()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        // DryRun: the failing pods stay, so the evidence is read from a crash loop still in progress, as on call.
        await cluster.ApplyRunbookAndPolicyAsync(new PolicySettings { Mode = "DryRun" });
        await cluster.CreateDeploymentAsync("web");
        cluster.StartOperator();

        await cluster.BadRolloutAsync("web", "crashloop");
        var incident = await Eventually.ValueAsync(async () => (await cluster.IncidentsAsync()).FirstOrDefault(i => EvidenceTimeline.Recorded(i.Status)),
            "an incident with evidence recorded in its timeline");
        var map = await IncidentRecords.ConfigMapAsync(cluster, $"{incident.Metadata.Name}-evidence", IncidentConfigMaps.EvidenceJsonKey);

        IncidentRecords.AssertOwnedByTheIncident(map, incident);
        var markdown = map.Data[IncidentConfigMaps.EvidenceMarkdownKey];
        var bundle = EvidenceJson.TryDeserialize(map.Data[IncidentConfigMaps.EvidenceJsonKey])!;
        TestContext.Current.TestOutputHelper?.WriteLine(markdown);

        // The failing containers' last lines, both instances: what `kubectl logs` and `kubectl logs --previous` show.
        // A previous instance always ended in the crash; the current one may be running again, so only its start is sure.
        var current = bundle.Logs.Where(l => !l.Previous && l.Lines.Count > 0).ToList();
        var previous = bundle.Logs.Where(l => l.Previous && l.Lines.Count > 0).ToList();
        Assert.NotEmpty(current);
        Assert.NotEmpty(previous);
        Assert.All(current.Concat(previous), l => Assert.Equal("nginx", l.Container));
        Assert.All(current, l => Assert.Contains(l.Lines, line => line.Contains("starting nginx version=1.26", StringComparison.Ordinal)));
        Assert.All(previous, l => Assert.Contains(l.Lines, line => line.Contains("FATAL cannot continue without a database connection", StringComparison.Ordinal)));
        Assert.All(previous, l => Assert.Contains(current, c => c.Pod == l.Pod));

        Assert.Contains("(current instance)", markdown, StringComparison.Ordinal);
        Assert.Contains("(previous instance)", markdown, StringComparison.Ordinal);

        // The kubelet's BackOff Events on the failing pods, and the rollout history with the revision diff.
        Assert.Contains(bundle.Events, e => e is { Reason: "BackOff", Type: "Warning", ObjectKind: "Pod" });
        Assert.Matches(@"\| Warning \| BackOff \| Pod/web-", markdown);
        Assert.Equal([2L, 1L], bundle.Rollout.Select(r => r.Revision));
        Assert.Equal(["nginx:1.26"], bundle.Rollout[0].Images);
        Assert.Contains("container nginx: image nginx:1.25 → nginx:1.26", bundle.Diff!.Differences);
        Assert.Equal(2, bundle.Snapshot!.DesiredReplicas);
        Assert.Equal(600, bundle.Snapshot.ProgressDeadlineSeconds);

        // Error lines counted by pattern, and the DSN's password the application logged masked everywhere.
        Assert.Contains(bundle.Errors, e => e.Pattern == "fatal" && e.Count >= 2);
        Assert.Contains(bundle.Errors, e => e.Pattern == "error" && e.Count >= 2);
        Assert.Contains("postgres://orders:[REDACTED]@postgres", markdown, StringComparison.Ordinal);
        foreach (var text in map.Data.Values)
        {
            Assert.DoesNotContain(ContainerLogLines.LeakedDatabasePassword, text, StringComparison.Ordinal);
        }

        // Recorded once in the timeline and as an Event.
        Assert.Single(incident.Status!.Timeline!, e => e.Type == TimelineEntryType.Evidence && e.Message.StartsWith(EvidenceTimeline.Prefix, StringComparison.Ordinal));
        Assert.Contains((await cluster.EventsAboutAsync(Incident.KindName, incident.Metadata.Name)).Select(e => e.Reason), r => r == "EvidenceCollected");
    }

    [Fact]
    public async Task Evidence_is_collected_once_however_often_the_incident_changes_and_across_a_restart()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.ApplyRunbookAndPolicyAsync(new PolicySettings { Mode = "DryRun" });
        await cluster.CreateDeploymentAsync("web");
        var first = cluster.StartOperator(name: "first");

        await cluster.BadRolloutAsync("web", "crashloop");
        var incident = await Eventually.ValueAsync(async () => (await cluster.IncidentsAsync()).FirstOrDefault(i => EvidenceTimeline.Recorded(i.Status)),
            "an incident with evidence recorded in its timeline");
        var map = await IncidentRecords.ConfigMapAsync(cluster, $"{incident.Metadata.Name}-evidence", IncidentConfigMaps.EvidenceJsonKey);
        await first.DisposeAsync();

        // A second operator reconciles the same incident after its start and after a person changed it: it reads no
        // log again and writes nothing.
        var logReads = IncidentRecords.OperatorRequests(cluster, "get", "pods", "log").Count;
        var second = cluster.StartOperator(name: "second");
        var reconciled = second.Instance.Metrics.ReconcileTotal.WithLabels(EvidenceReconciler.Name, "success");
        await Eventually.TrueAsync(() => reconciled.Value >= 1, "the second operator's evidence controller reconciling the incident");
        (await cluster.Kubectl.RunAsync("annotate", "incident", incident.Metadata.Name, "example.com/reviewed=yes")).ShouldSucceed();
        await Eventually.TrueAsync(() => reconciled.Value >= 2, "the second operator reconciling the changed incident");
        var again = (await cluster.IncidentsAsync()).Single(i => i.Metadata.Name == incident.Metadata.Name);

        var configMaps = await cluster.Client.CoreV1.ListNamespacedConfigMapAsync(OperatorCluster.Namespace, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Single(configMaps.Items, c => c.Metadata.Name.EndsWith(IncidentConfigMaps.EvidenceSuffix, StringComparison.Ordinal));
        Assert.Equal(logReads, IncidentRecords.OperatorRequests(cluster, "get", "pods", "log").Count);
        Assert.Single(again.Status!.Timeline!, e => e.Message.StartsWith(EvidenceTimeline.Prefix, StringComparison.Ordinal));
        Assert.Equal(map.Metadata.ResourceVersion,
            (await IncidentRecords.ConfigMapAsync(cluster, map.Metadata.Name, IncidentConfigMaps.EvidenceJsonKey)).Metadata.ResourceVersion);
    }
}
