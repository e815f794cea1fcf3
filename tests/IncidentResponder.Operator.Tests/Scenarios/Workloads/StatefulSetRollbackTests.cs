using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Operator.Tests.Support;
using k8s;

namespace IncidentResponder.Operator.Tests.Scenarios.Workloads;

/// <summary>
/// A StatefulSet's bad rollout, rolled back from its previous ControllerRevision as kubectl rollout undo does it. Under
/// OrderedReady the rollout stops on the first crash-looping pod, and the revert alone does not replace that pod: the
/// controller waits for it to become Ready first. The runbook's forceRecreateStuckPods deletes it; without it the
/// incident escalates and says which pod waits for a person.
/// </summary>
public sealed class StatefulSetRollbackTests
{
    [Fact]
    public async Task A_crash_looping_statefulset_rollout_is_rolled_back_and_its_stuck_pod_recreated_on_the_good_revision()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.ApplyRunbookAndPolicyAsync(runbook: new RunbookSettings { ForceRecreateStuckPods = true });
        var good = await StartStuckRolloutAsync(cluster);

        var incident = await cluster.IncidentInPhaseAsync("db", IncidentPhase.Resolved);

        Assert.Equal("StatefulSet", incident.Spec.TargetRef.Kind);
        Assert.Equal(SignalType.CrashLoop, incident.Spec.Signal.Type);
        var action = Assert.Single(incident.Status!.Actions!);
        Assert.Equal(ActionType.RolloutUndo, action.Type);
        Assert.Equal(ActionPhase.Succeeded, action.Phase);
        Assert.Equal("2", action.Details![ActionRecords.FromRevisionKey]);
        Assert.Equal("1", action.Details[ActionRecords.ToRevisionKey]);
        Assert.Equal(good, action.Details[ActionRecords.ToReplicaSetKey]);
        Assert.Equal("true", action.Details[ActionRecords.ForceRecreateStuckPodsKey]);
        // The rollout stops at db-2, or lower when a new pod was Ready for a moment before its first crash (the probe's
        // delay races the simulated crash): each pod on the bad revision is deleted exactly once.
        var recreated = action.Details[ActionRecords.RecreatedPodsKey].Split(", ");
        Assert.Contains("db-2", recreated);
        Assert.Equal(recreated.Order(StringComparer.Ordinal), cluster.OperatorPodDeletes().Select(d => d.Name!).Order(StringComparer.Ordinal));
        Assert.Single(cluster.OperatorPatches("statefulsets", "db"));

        var set = await cluster.Client.AppsV1.ReadNamespacedStatefulSetAsync("db", OperatorCluster.Namespace, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("nginx:1.25", set.Spec.Template.Spec.Containers[0].Image);
        Assert.Equal($"{incident.Metadata.Name}/{Manifests.RollbackStep}", set.Metadata.Annotations[WellKnown.ActionAnnotation]);
        var pods = await cluster.LivePodsAsync("db");
        Assert.Equal(3, pods.Count);
        Assert.All(pods, pod => Assert.True(WorkloadManifests.IsReady(pod) && WorkloadManifests.RevisionOf(pod) == good, $"{pod.Metadata.Name} ready on {good}"));

        var events = (await cluster.EventsAboutAsync("StatefulSet", "db")).Select(e => e.Reason).ToList();
        foreach (var reason in new[] { "IncidentOpened", "ActionIntended", "ActionApplied", "Resolved" })
        {
            Assert.Contains(reason, events);
        }

        var wide = (await cluster.Kubectl.RunAsync("get", "inc", "-o", "wide")).ShouldSucceed().Stdout;
        Assert.Matches(@"db-crashloop-r2\s+SEV-\d\s+Resolved\s+StatefulSet\s+db\s+CrashLoop", wide);
    }

    [Fact]
    public async Task Without_force_recreate_a_statefulset_rollback_leaves_the_stuck_pod_and_escalates_naming_it()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.ApplyRunbookAndPolicyAsync(runbook: new RunbookSettings { VerifyTimeout = "5s" });
        var good = await StartStuckRolloutAsync(cluster);

        var incident = await cluster.IncidentInPhaseAsync("db", IncidentPhase.Escalated);

        var action = Assert.Single(incident.Status!.Actions!, a => a.Type == ActionType.RolloutUndo);
        Assert.Equal("1", action.Details![ActionRecords.ToRevisionKey]);
        Assert.False(action.Details.ContainsKey(ActionRecords.RecreatedPodsKey));
        Assert.Contains(incident.Status.Timeline!, e => e.Message.Contains("db-2 (revision 2)", StringComparison.Ordinal)
            && e.Message.Contains("is still failing on the reverted revision", StringComparison.Ordinal)
            && e.Message.Contains("forceRecreateStuckPods", StringComparison.Ordinal));
        Assert.Single(cluster.OperatorPatches("statefulsets", "db"));
        Assert.Empty(cluster.OperatorPodDeletes());

        var set = await cluster.Client.AppsV1.ReadNamespacedStatefulSetAsync("db", OperatorCluster.Namespace, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("nginx:1.25", set.Spec.Template.Spec.Containers[0].Image);
        var stuck = Assert.Single(await cluster.LivePodsAsync("db"), p => p.Metadata.Name == "db-2");
        Assert.NotEqual(good, WorkloadManifests.RevisionOf(stuck));
        Assert.Contains("EscalationNotice", (await cluster.EventsAboutAsync("StatefulSet", "db")).Select(e => e.Reason));
    }

    /// <summary>A StatefulSet with a readiness probe, rolled out; then a crash-looping revision, which stops at db-2.</summary>
    private static async Task<string> StartStuckRolloutAsync(OperatorCluster cluster)
    {
        await cluster.CreateWorkloadAsync("statefulset", "db", WorkloadManifests.StatefulSet("db", new StatefulSetShape { ReadinessProbe = true }));
        var good = (await cluster.Client.AppsV1.ReadNamespacedStatefulSetAsync("db", OperatorCluster.Namespace, cancellationToken: TestContext.Current.CancellationToken)).Status.CurrentRevision;
        cluster.StartOperator();
        await cluster.BadWorkloadRolloutAsync("statefulset", "db", "crashloop");
        return good;
    }
}
