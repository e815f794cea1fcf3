using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.Storage;
using k8s.Models;
using static IncidentResponder.Simulator.Tests.Controllers.ControllerFixtures;

namespace IncidentResponder.Simulator.Tests.Controllers;

public sealed class ControllersDeploymentReconcilerTests
{
    /// <summary>One controller sync followed by the replicaset controller and kubelets catching up.</summary>
    private static (V1Deployment Deployment, List<V1ReplicaSet> ReplicaSets, SyncResult Result) Step(
        V1Deployment deployment, List<V1ReplicaSet> replicaSets, DateTimeOffset now, Func<V1ReplicaSet, bool> available)
    {
        var result = DeploymentReconciler.Reconcile(deployment, replicaSets, now);
        var updatedSets = SettlePods(ApplyReplicaSets(replicaSets, result.Writes, now), available);
        return (ApplyDeployment(deployment, result.Writes), updatedSets, result);
    }

    private static (V1Deployment, List<V1ReplicaSet>) RunUntilStable(V1Deployment deployment, List<V1ReplicaSet> replicaSets, DateTimeOffset now, Func<V1ReplicaSet, bool> available, Action<V1Deployment, List<V1ReplicaSet>>? invariant = null)
    {
        for (var i = 0; i < 50; i++)
        {
            var (next, sets, result) = Step(deployment, replicaSets, now, available);
            invariant?.Invoke(next, sets);
            (deployment, replicaSets) = (next, sets);
            if (result.Writes.Count == 0)
            {
                return (deployment, replicaSets);
            }
        }

        throw new InvalidOperationException("the deployment controller did not settle in 50 syncs");
    }

    [Fact]
    public void First_sync_creates_the_replica_set_the_way_kubernetes_does()
    {
        var deployment = Deployment(replicas: 4);
        deployment.Metadata.Annotations = new Dictionary<string, string> { ["team"] = "payments", [DeploymentAnnotations.LastAppliedConfiguration] = "{}" };

        var result = DeploymentReconciler.Reconcile(deployment, [], T0);

        var rs = Assert.IsType<V1ReplicaSet>(Assert.Single(result.Writes.OfType<CreateObject>()).Object);
        var hash = PodTemplateHash.Compute(deployment.Spec.Template, null);
        Assert.Equal($"web-{hash}", rs.Metadata.Name);
        Assert.Equal(4, rs.Spec.Replicas);
        Assert.Equal(hash, rs.Metadata.Labels[PodTemplateHash.Label]);
        Assert.Equal(hash, rs.Spec.Selector.MatchLabels[PodTemplateHash.Label]);
        Assert.Equal(hash, rs.Spec.Template.Metadata.Labels[PodTemplateHash.Label]);
        Assert.True(DeploymentRules.EqualIgnoreHash(deployment.Spec.Template, rs.Spec.Template));
        var owner = Assert.Single(rs.Metadata.OwnerReferences);
        Assert.Equal(("Deployment", "web", "uid-web", true, true), (owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        Assert.Equal("1", rs.Metadata.Annotations[DeploymentAnnotations.Revision]);
        Assert.Equal("4", rs.Metadata.Annotations[DeploymentAnnotations.DesiredReplicas]);
        Assert.Equal("5", rs.Metadata.Annotations[DeploymentAnnotations.MaxReplicas]);
        Assert.Equal("payments", rs.Metadata.Annotations["team"]);
        Assert.False(rs.Metadata.Annotations.ContainsKey(DeploymentAnnotations.LastAppliedConfiguration));

        var annotated = Assert.IsType<V1Deployment>(Assert.Single(result.Writes.OfType<UpdateObject>()).Object);
        Assert.Equal("1", annotated.Metadata.Annotations[DeploymentAnnotations.Revision]);

        var scaled = Assert.Single(Events(result.Writes));
        Assert.Equal(("Normal", "ScalingReplicaSet", $"Scaled up replica set web-{hash} from 0 to 4", "deployment-controller"), (scaled.Type, scaled.Reason, scaled.Message, scaled.Component));
        Assert.Equal(("Deployment", "uid-web"), (scaled.InvolvedObject.Kind, scaled.InvolvedObject.Uid));

        var statusWrite = Assert.IsType<V1Deployment>(result.Writes.OfType<UpdateStatus>().Single().Object);
        Assert.Equal("1", statusWrite.Metadata.Annotations[DeploymentAnnotations.Revision]);
        var status = statusWrite.Status;
        Assert.Equal(1, status.ObservedGeneration);
        var progressing = DeploymentConditions.Find(status, "Progressing")!;
        Assert.Equal(("True", "NewReplicaSetCreated", $"Created new replica set \"web-{hash}\""), (progressing.Status, progressing.Reason, progressing.Message));
        var availableCondition = DeploymentConditions.Find(status, "Available")!;
        Assert.Equal(("False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability."), (availableCondition.Status, availableCondition.Reason, availableCondition.Message));
        Assert.Equal(4, status.UnavailableReplicas);
    }

    [Fact]
    public void Writes_go_replica_set_first_then_deployment_annotation_then_status()
    {
        var writes = DeploymentReconciler.Reconcile(Deployment(), [], T0).Writes.Where(w => w is not RecordEvent).ToList();
        Assert.Collection(writes,
            w => Assert.IsType<CreateObject>(w),
            w => Assert.Equal(BuiltinResources.Deployments, Assert.IsType<UpdateObject>(w).Type),
            w => Assert.IsType<UpdateStatus>(w));
    }

    [Fact]
    public void A_rollout_completes_with_counters_and_conditions()
    {
        var (deployment, sets) = RunUntilStable(Deployment(replicas: 3), [], T0, _ => true);

        var rs = Assert.Single(sets);
        var status = deployment.Status;
        Assert.Equal((3, 3, 3, 3, 0), (status.Replicas, status.UpdatedReplicas, status.ReadyReplicas, status.AvailableReplicas, status.UnavailableReplicas ?? 0));
        var progressing = DeploymentConditions.Find(status, "Progressing")!;
        Assert.Equal(("True", "NewReplicaSetAvailable", $"ReplicaSet \"{rs.Metadata.Name}\" has successfully progressed."), (progressing.Status, progressing.Reason, progressing.Message));
        var available = DeploymentConditions.Find(status, "Available")!;
        Assert.Equal(("True", "MinimumReplicasAvailable", "Deployment has minimum availability."), (available.Status, available.Reason, available.Message));
        Assert.True(DeploymentRules.IsComplete(deployment, status));
    }

    [Theory]
    [InlineData(4, "25%", "25%")]
    [InlineData(10, "25%", "25%")]
    [InlineData(10, "0", "3")]
    [InlineData(5, "2", "0")]
    [InlineData(1, "0", "1")]
    [InlineData(7, "100%", "0")]
    public void Rolling_update_never_exceeds_surge_nor_drops_below_minimum_availability(int replicas, string maxSurge, string maxUnavailable)
    {
        var strategy = new V1DeploymentStrategy
        {
            Type = "RollingUpdate",
            RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = (IntOrString)maxSurge, MaxUnavailable = (IntOrString)maxUnavailable },
        };
        var v1 = Deployment(replicas: replicas);
        v1.Spec.Strategy = strategy;
        var (deployment, sets) = RunUntilStable(v1, [], T0, _ => true);
        var (surge, unavailable) = DeploymentRules.ResolveFenceposts(deployment);

        var v2 = WithImage(deployment, "nginx:1.26", generation: 2);
        var steps = 0;
        var (done, finalSets) = RunUntilStable(v2, sets, T0.AddSeconds(10), _ => true, (_, current) =>
        {
            steps++;
            Assert.True(DeploymentRules.SpecReplicas(current) <= replicas + surge, $"more than {replicas}+{surge} pods wanted");
            Assert.True(DeploymentRules.AvailableReplicas(current) >= replicas - unavailable, $"fewer than {replicas}-{unavailable} pods available");
        });

        Assert.True(steps > 1);
        Assert.Equal(replicas, finalSets.Single(rs => rs.Spec.Template.Spec.Containers[0].Image == "nginx:1.26").Spec.Replicas);
        Assert.Equal(0, finalSets.Single(rs => rs.Spec.Template.Spec.Containers[0].Image == "nginx:1.25").Spec.Replicas);
        Assert.Equal("2", done.Metadata.Annotations[DeploymentAnnotations.Revision]);
        Assert.Equal("NewReplicaSetAvailable", DeploymentConditions.Find(done.Status, "Progressing")!.Reason);
    }

    [Fact]
    public void First_rolling_step_surges_one_and_scales_old_down_by_one_then_surges_again()
    {
        var (deployment, sets) = RunUntilStable(Deployment(replicas: 4), [], T0, _ => true);
        var v2 = WithImage(deployment, "nginx:1.26", generation: 2);
        bool NewIsUnavailable(V1ReplicaSet rs) => rs.Spec.Template.Spec.Containers[0].Image != "nginx:1.26";

        var (afterFirst, setsAfterFirst, first) = Step(v2, sets, T0.AddSeconds(5), NewIsUnavailable);
        var created = Assert.IsType<V1ReplicaSet>(Assert.Single(first.Writes.OfType<CreateObject>()).Object);
        Assert.Equal(1, created.Spec.Replicas);
        Assert.Equal("2", created.Metadata.Annotations[DeploymentAnnotations.Revision]);

        var oldName = sets.Single().Metadata.Name;
        Assert.Equal(
            [$"Scaled up replica set {created.Metadata.Name} from 0 to 1", $"Scaled down replica set {oldName} from 4 to 3"],
            Events(first.Writes).Select(e => e.Message));
        Assert.Equal(3, setsAfterFirst.Single(NewIsUnavailable).Spec.Replicas);

        // 3 old + 1 new = 4 = 5 allowed - 1: room to surge again, but no old pod can go while the new one is unavailable.
        var (_, setsAfterSecond, second) = Step(afterFirst, setsAfterFirst, T0.AddSeconds(6), NewIsUnavailable);
        Assert.Equal([$"Scaled up replica set {created.Metadata.Name} from 1 to 2"], Events(second.Writes).Select(e => e.Message));
        Assert.Equal(3, setsAfterSecond.Single(NewIsUnavailable).Spec.Replicas);
    }

    [Fact]
    public void A_failing_rollout_stalls_within_the_fenceposts_then_exceeds_its_progress_deadline()
    {
        var (deployment, sets) = RunUntilStable(Deployment(replicas: 4), [], T0, _ => true);
        var v2 = WithImage(deployment, "nginx:broken", generation: 2);
        v2.Spec.ProgressDeadlineSeconds = 60;
        bool OldOnly(V1ReplicaSet rs) => rs.Spec.Template.Spec.Containers[0].Image == "nginx:1.25";

        var start = T0.AddSeconds(100);
        var (stalled, stalledSets) = RunUntilStable(v2, sets, start, OldOnly);
        Assert.Equal(2, stalledSets.Single(rs => !OldOnly(rs)).Spec.Replicas);
        Assert.Equal(3, stalledSets.Single(OldOnly).Spec.Replicas);
        var progressing = DeploymentConditions.Find(stalled.Status, "Progressing")!;
        Assert.Equal(("True", "ReplicaSetUpdated"), (progressing.Status, progressing.Reason));
        // 3 of 4 available is within maxUnavailable (1): the Deployment stays Available while its rollout is stuck.
        Assert.Equal("True", DeploymentConditions.Find(stalled.Status, "Available")!.Status);
        Assert.Equal(3, stalled.Status.AvailableReplicas);

        // Before the deadline nothing changes, and the controller asks to look again just after it passes.
        var early = DeploymentReconciler.Reconcile(stalled, stalledSets, start.AddSeconds(30));
        Assert.Empty(early.Writes);
        Assert.NotNull(early.RequeueAfter);
        Assert.InRange(early.RequeueAfter!.Value, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(32));

        var late = DeploymentReconciler.Reconcile(stalled, stalledSets, start.AddSeconds(61));
        var timedOut = DeploymentConditions.Find(Assert.IsType<V1Deployment>(Assert.Single(late.Writes.OfType<UpdateStatus>()).Object).Status, "Progressing")!;
        var newName = stalledSets.Single(rs => !OldOnly(rs)).Metadata.Name;
        Assert.Equal(("False", "ProgressDeadlineExceeded", $"ReplicaSet \"{newName}\" has timed out progressing."), (timedOut.Status, timedOut.Reason, timedOut.Message));
        Assert.Equal(start.UtcDateTime.AddSeconds(61), timedOut.LastTransitionTime);
    }

    [Fact]
    public void Rolling_back_reuses_the_old_replica_set_with_a_new_revision_and_history()
    {
        var (v1, sets) = RunUntilStable(Deployment(replicas: 2), [], T0, _ => true);
        var (v2, sets2) = RunUntilStable(WithImage(v1, "nginx:1.26", 2), sets, T0.AddSeconds(10), _ => true);
        Assert.Equal("2", v2.Metadata.Annotations[DeploymentAnnotations.Revision]);

        var (v3, sets3) = RunUntilStable(WithImage(v2, "nginx:1.25", 3), sets2, T0.AddSeconds(20), _ => true);

        Assert.Equal(2, sets3.Count);
        var reused = sets3.Single(rs => rs.Spec.Template.Spec.Containers[0].Image == "nginx:1.25");
        Assert.Equal("3", reused.Metadata.Annotations[DeploymentAnnotations.Revision]);
        Assert.Equal("1", reused.Metadata.Annotations[DeploymentAnnotations.RevisionHistory]);
        Assert.Equal(2, reused.Spec.Replicas);
        Assert.Equal("3", v3.Metadata.Annotations[DeploymentAnnotations.Revision]);
    }

    [Fact]
    public void A_paused_deployment_reports_paused_and_does_not_roll_out()
    {
        var (v1, sets) = RunUntilStable(Deployment(replicas: 2), [], T0, _ => true);
        var paused = WithImage(v1, "nginx:1.26", 2);
        paused.Spec.Paused = true;

        var result = DeploymentReconciler.Reconcile(paused, sets, T0.AddSeconds(5));

        Assert.Empty(result.Writes.OfType<CreateObject>());
        var progressing = DeploymentConditions.Find(Assert.IsType<V1Deployment>(result.Writes.OfType<UpdateStatus>().Single().Object).Status, "Progressing")!;
        Assert.Equal(("Unknown", "DeploymentPaused", "Deployment is paused"), (progressing.Status, progressing.Reason, progressing.Message));

        var resumed = ApplyDeployment(paused, result.Writes);
        resumed.Spec.Paused = false;
        var afterResume = DeploymentReconciler.Reconcile(resumed, sets, T0.AddSeconds(6));
        Assert.Single(afterResume.Writes.OfType<CreateObject>());
    }

    [Fact]
    public void Recreate_scales_everything_down_before_creating_the_new_replica_set()
    {
        var v1 = Deployment(replicas: 3);
        v1.Spec.Strategy = new V1DeploymentStrategy { Type = "Recreate" };
        var (deployment, sets) = RunUntilStable(v1, [], T0, _ => true);
        var v2 = WithImage(deployment, "nginx:1.26", 2);

        var first = DeploymentReconciler.Reconcile(v2, sets, T0.AddSeconds(1));
        Assert.Empty(first.Writes.OfType<CreateObject>());
        Assert.Equal(0, Assert.IsType<V1ReplicaSet>(Assert.Single(first.Writes.OfType<UpdateObject>(), w => w.Type == BuiltinResources.ReplicaSets).Object).Spec.Replicas);

        // The old pods are still terminating: no new ReplicaSet yet.
        var scaledDown = ApplyReplicaSets(sets, first.Writes, T0);
        var stillRunning = DeploymentReconciler.Reconcile(ApplyDeployment(v2, first.Writes), scaledDown, T0.AddSeconds(2));
        Assert.Empty(stillRunning.Writes.OfType<CreateObject>());

        var gone = SettlePods(scaledDown, _ => true);
        var created = DeploymentReconciler.Reconcile(ApplyDeployment(v2, first.Writes), gone, T0.AddSeconds(3));
        Assert.Equal(3, Assert.IsType<V1ReplicaSet>(Assert.Single(created.Writes.OfType<CreateObject>()).Object).Spec.Replicas);
    }

    [Fact]
    public void Old_scaled_down_replica_sets_beyond_the_history_limit_are_deleted_oldest_revision_first()
    {
        var deployment = Deployment(replicas: 1);
        deployment.Spec.RevisionHistoryLimit = 1;
        var (current, sets) = RunUntilStable(deployment, [], T0, _ => true);
        for (var i = 2; i <= 4; i++)
        {
            (current, sets) = RunUntilStable(WithImage(current, $"nginx:1.{i}", i), sets, T0.AddSeconds(i * 10), _ => true);
        }

        Assert.Equal(2, sets.Count);
        Assert.Equal(["3", "4"], sets.Select(rs => rs.Metadata.Annotations[DeploymentAnnotations.Revision]).Order());
    }

    [Fact]
    public void Changing_replicas_is_a_scaling_event_that_resizes_the_active_replica_set()
    {
        var (deployment, sets) = RunUntilStable(Deployment(replicas: 4), [], T0, _ => true);
        var bigger = KubeObjects.Clone(deployment);
        bigger.Spec.Replicas = 6;
        bigger.Metadata.Generation = 2;

        var result = DeploymentReconciler.Reconcile(bigger, sets, T0.AddSeconds(3));
        var scaled = Assert.IsType<V1ReplicaSet>(Assert.Single(result.Writes.OfType<UpdateObject>()).Object);
        Assert.Equal(6, scaled.Spec.Replicas);
        Assert.Equal("6", scaled.Metadata.Annotations[DeploymentAnnotations.DesiredReplicas]);
        Assert.Equal("8", scaled.Metadata.Annotations[DeploymentAnnotations.MaxReplicas]);
        Assert.Contains(Events(result.Writes), e => e.Message == $"Scaled up replica set {scaled.Metadata.Name} from 4 to 6");
    }

    [Fact]
    public void Observed_generation_follows_the_spec()
    {
        var (deployment, sets) = RunUntilStable(Deployment(replicas: 1, generation: 7), [], T0, _ => true);
        Assert.Equal(7, deployment.Status.ObservedGeneration);
        Assert.Single(sets);
    }

    [Fact]
    public void A_deployment_without_selector_is_refused()
    {
        var deployment = Deployment();
        deployment.Spec.Selector = new V1LabelSelector();
        var result = DeploymentReconciler.Reconcile(deployment, [], T0);
        Assert.Equal("SelectingAll", Assert.Single(Events(result.Writes)).Reason);
        Assert.Empty(result.Writes.OfType<CreateObject>());
    }

    [Fact]
    public void Set_condition_keeps_transition_time_when_only_the_reason_changes()
    {
        var status = new V1DeploymentStatus();
        DeploymentConditions.Set(status, DeploymentConditions.New("Progressing", "True", "NewReplicaSetCreated", "a", T0));
        DeploymentConditions.Set(status, DeploymentConditions.New("Progressing", "True", "ReplicaSetUpdated", "b", T0.AddMinutes(1)));
        var condition = Assert.Single(status.Conditions);
        Assert.Equal((T0.UtcDateTime, T0.UtcDateTime.AddMinutes(1), "ReplicaSetUpdated"), (condition.LastTransitionTime!.Value, condition.LastUpdateTime!.Value, condition.Reason));

        DeploymentConditions.Set(status, DeploymentConditions.New("Progressing", "True", "ReplicaSetUpdated", "c", T0.AddMinutes(2)));
        Assert.Equal("b", Assert.Single(status.Conditions).Message);
    }
}
