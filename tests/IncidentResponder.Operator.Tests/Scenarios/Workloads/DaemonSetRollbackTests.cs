using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Operator.Tests.Support;
using k8s;

namespace IncidentResponder.Operator.Tests.Scenarios.Workloads;

/// <summary>
/// A DaemonSet's bad rollout on three nodes: the rolling update replaces one node's pod at a time (maxUnavailable 1),
/// the new pod never pulls its image and blocks it, so the signal counts over the nodes reached so far; the rollback
/// restores the previous ControllerRevision and the DaemonSet controller replaces the failing pod itself.
/// </summary>
public sealed class DaemonSetRollbackTests
{
    [Fact]
    public async Task A_daemonset_rollout_failing_on_the_nodes_it_reached_is_rolled_back_and_resolved()
    {
        await using var cluster = await OperatorCluster.StartAsync(nodes: WorkloadManifests.ThreeNodes);
        await cluster.ApplyRunbookAndPolicyAsync();
        await cluster.CreateWorkloadAsync("daemonset", "agent", WorkloadManifests.DaemonSet("agent"));
        var good = WorkloadManifests.RevisionOf((await cluster.LivePodsAsync("agent"))[0]);
        cluster.StartOperator();

        await cluster.BadWorkloadRolloutAsync("daemonset", "agent", "imagepull");
        var incident = await cluster.IncidentInPhaseAsync("agent", IncidentPhase.Resolved);

        Assert.Equal("DaemonSet", incident.Spec.TargetRef.Kind);
        Assert.Equal(SignalType.ImagePull, incident.Spec.Signal.Type);
        // Counted over the nodes the rollout reached (one), not the three it would reach: one of one is over the threshold.
        Assert.StartsWith("1/1 pods of revision 2 ", incident.Spec.Signal.Message, StringComparison.Ordinal);
        var action = Assert.Single(incident.Status!.Actions!);
        Assert.Equal(ActionType.RolloutUndo, action.Type);
        Assert.Equal(ActionPhase.Succeeded, action.Phase);
        Assert.Equal("2", action.Details![ActionRecords.FromRevisionKey]);
        Assert.Equal("1", action.Details[ActionRecords.ToRevisionKey]);
        Assert.Single(cluster.OperatorPatches("daemonsets", "agent"));
        Assert.Empty(cluster.OperatorPodDeletes());

        var set = await cluster.Client.AppsV1.ReadNamespacedDaemonSetAsync("agent", OperatorCluster.Namespace, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("nginx:1.25", set.Spec.Template.Spec.Containers[0].Image);
        Assert.Equal($"{incident.Metadata.Name}/{Manifests.RollbackStep}", set.Metadata.Annotations[WellKnown.ActionAnnotation]);
        await Eventually.TrueAsync(async () =>
        {
            var pods = await cluster.LivePodsAsync("agent");
            return pods.Count == 3 && pods.All(p => WorkloadManifests.IsReady(p) && WorkloadManifests.RevisionOf(p) == good);
        }, "a ready pod on the good revision on every node");
        Assert.Equal(WorkloadManifests.ThreeNodes, (await cluster.LivePodsAsync("agent")).Select(p => p.Spec.NodeName).Order(StringComparer.Ordinal));
        Assert.Contains("ActionApplied", (await cluster.EventsAboutAsync("DaemonSet", "agent")).Select(e => e.Reason));
    }
}
