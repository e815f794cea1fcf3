using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Policy;
using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Operator.Bench;

/// <summary>One injected bad rollout and the moment its signal became clear at the API.</summary>
/// <param name="ClearAt">Commit time of the pod write after which enough new pods crash-loop to meet the policy's thresholds.</param>
/// <param name="ClearResourceVersion">That write's resourceVersion.</param>
/// <param name="PodWrites">resourceVersions of every write to the new revision's pods (creations and status updates).</param>
internal sealed record InjectedRollout(
    FleetMember Target, DateTimeOffset Started, DateTimeOffset ClearAt, long ClearResourceVersion, IReadOnlyList<long> PodWrites);

/// <summary>
/// Makes a Deployment's rollout go bad by writing, through the store and in their order, what each component writes:
/// the user's template change (generation 2); the deployment controller's new ReplicaSet (revision 2, scaled to
/// maxSurge), the revision annotation and the old ReplicaSet scaled down by maxUnavailable; the ReplicaSet
/// controller's new pods and the old pods it deletes; the kubelet's ContainerCreating, then, one pod at a time,
/// CrashLoopBackOff after the container exits with an error; and the Deployment's rolling-update status.
/// </summary>
internal sealed class BadRolloutInjector(ClusterStore store, BenchSettings settings, CommitLog commits)
{
    /// <summary>The thresholds of the benchmark's policy, to know which write makes the signal clear.</summary>
    private readonly DetectionThresholds _thresholds = DetectionThresholds.From(new Api.V1Alpha1.DetectionSettings { MinAffectedPods = 1, MinAffectedPercent = 50 });

    public async Task<InjectedRollout> InjectAsync(FleetMember target, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var podWrites = new List<long>();
        var newPods = StartRollout(target, started, podWrites);

        await Task.Delay(settings.CrashDelay, cancellationToken).ConfigureAwait(false);
        (DateTimeOffset At, long ResourceVersion)? clear = null;
        for (var i = 0; i < newPods.Count; i++)
        {
            if (i > 0)
            {
                await Task.Delay(settings.CrashSpacing, cancellationToken).ConfigureAwait(false);
            }

            var pod = store.Get(BuiltinResources.Pods, target.Namespace, newPods[i])!;
            pod["status"] = WorkloadObjects.CrashLoopStatus(pod, WorkloadObjects.BadImage(target.Index), started, DateTimeOffset.UtcNow);
            var (_, rv, at) = commits.Write(() => store.Update(BuiltinResources.Pods, pod, status: true), WriteSource.RolloutPod);
            podWrites.Add(rv);
            if (clear is null && RolloutFailureDetector.MeetsThreshold(i + 1, newPods.Count, _thresholds))
            {
                clear = (at, rv);
            }
        }

        var signal = clear ?? throw new InvalidOperationException($"{newPods.Count} crash-looping pods never meet the thresholds");
        return new InjectedRollout(target, started, signal.At, signal.ResourceVersion, podWrites);
    }

    /// <summary>Everything up to the new pods being created: the rollout as the controllers start it.</summary>
    private List<string> StartRollout(FleetMember target, DateTimeOffset now, List<long> podWrites)
    {
        var replicas = settings.PodsPerDeployment;
        var surge = settings.NewPodsPerRollout;
        var removed = settings.OldPodsRemovedPerRollout;

        var deployment = store.Get(BuiltinResources.Deployments, target.Namespace, target.Name)!;
        deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = WorkloadObjects.BadImage(target.Index);
        deployment = store.Update(BuiltinResources.Deployments, deployment);
        var generation = WorkloadObjects.Number(deployment["metadata"]!["generation"]);

        var template = deployment["spec"]!["template"]!.AsObject();
        var hash = WorkloadObjects.TemplateHash(template);
        var newReplicaSet = store.Create(BuiltinResources.ReplicaSets, WorkloadObjects.ReplicaSet(deployment, template, hash, revision: 2, surge, surge));
        var newName = WorkloadObjects.Str(newReplicaSet["metadata"]!.AsObject(), "name");

        deployment["metadata"]!["annotations"]![DeploymentAnnotations.Revision] = "2";
        deployment = store.Update(BuiltinResources.Deployments, deployment);

        var oldReplicaSet = store.Get(BuiltinResources.ReplicaSets, target.Namespace, target.ReplicaSet)!;
        oldReplicaSet["spec"]!["replicas"] = replicas - removed;
        oldReplicaSet = store.Update(BuiltinResources.ReplicaSets, oldReplicaSet);

        var newPods = new List<string>(surge);
        for (var p = 0; p < surge; p++)
        {
            var (pod, created, _) = commits.Write(() => store.Create(BuiltinResources.Pods, WorkloadObjects.Pod(newReplicaSet, HealthyFleet.PodSuffix(p))), WriteSource.RolloutPod);
            podWrites.Add(created);
            pod["status"] = WorkloadObjects.ContainerCreatingStatus(WorkloadObjects.BadImage(target.Index), now);
            podWrites.Add(commits.Write(() => store.Update(BuiltinResources.Pods, pod, status: true), WriteSource.RolloutPod).ResourceVersion);
            newPods.Add(WorkloadObjects.Str(pod["metadata"]!.AsObject(), "name"));
        }

        foreach (var old in target.Pods.Take(removed))
        {
            store.Delete(BuiltinResources.Pods, target.Namespace, old);
        }

        oldReplicaSet["status"] = WorkloadObjects.ReplicaSetStatus(replicas - removed, replicas - removed, WorkloadObjects.Number(oldReplicaSet["metadata"]!["generation"]));
        store.Update(BuiltinResources.ReplicaSets, oldReplicaSet, status: true);
        newReplicaSet["status"] = WorkloadObjects.ReplicaSetStatus(surge, 0, 1);
        store.Update(BuiltinResources.ReplicaSets, newReplicaSet, status: true);
        var availableSince = deployment["status"]!["conditions"]!.AsArray().First(c => WorkloadObjects.Str(c!.AsObject(), "type") == "Available")!["lastTransitionTime"]!.GetValue<string>();
        deployment["status"] = WorkloadObjects.RollingDeploymentStatus(generation, replicas - removed + surge, surge, replicas - removed, newName,
            DateTimeOffset.Parse(availableSince, System.Globalization.CultureInfo.InvariantCulture), now);
        store.Update(BuiltinResources.Deployments, deployment, status: true);
        return newPods;
    }
}
