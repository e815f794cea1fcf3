using System.Diagnostics;
using IncidentResponder.Operator.Bench.Fleet;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Operator.Bench;

/// <summary>One Deployment of the fleet and the names of its revision-1 ReplicaSet and pods.</summary>
internal sealed record FleetMember(int Index, string Namespace, string Name, string ReplicaSet, IReadOnlyList<string> Pods);

/// <summary>
/// Writes a fleet of healthy, fully rolled-out Deployments through the store: each Deployment (revision 1, status
/// Available), its ReplicaSet and its pods Running and Ready, as the controllers and the kubelet would have left them.
/// The simulator's own controllers and kubelet are not started: running them for 20,000 pods would take the 2 cores
/// the operator is being measured on, and the benchmark wants a steady fleet with exactly the churn it adds itself.
/// </summary>
internal static class HealthyFleet
{
    public static (IReadOnlyList<FleetMember> Fleet, TimeSpan Elapsed) Load(ClusterStore store, BenchSettings settings, DateTimeOffset since)
    {
        var clock = Stopwatch.StartNew();
        for (var n = 0; n < settings.Namespaces; n++)
        {
            store.Create(BuiltinResources.Namespaces, WorkloadObjects.Namespace(WorkloadObjects.NamespaceName(n)));
        }

        var fleet = new List<FleetMember>(settings.Deployments);
        for (var i = 0; i < settings.Deployments; i++)
        {
            fleet.Add(LoadOne(store, settings, i, since));
        }

        return (fleet, clock.Elapsed);
    }

    private static FleetMember LoadOne(ClusterStore store, BenchSettings settings, int index, DateTimeOffset since)
    {
        var ns = WorkloadObjects.NamespaceName(index % settings.Namespaces);
        var replicas = settings.PodsPerDeployment;
        var deployment = store.Create(BuiltinResources.Deployments, WorkloadObjects.Deployment(index, ns, replicas));
        var template = deployment["spec"]!["template"]!.AsObject();
        var hash = WorkloadObjects.TemplateHash(template);
        var replicaSet = store.Create(BuiltinResources.ReplicaSets,
            WorkloadObjects.ReplicaSet(deployment, template, hash, revision: 1, replicas, settings.NewPodsPerRollout));
        replicaSet["status"] = WorkloadObjects.ReplicaSetStatus(replicas, replicas, 1);
        store.Update(BuiltinResources.ReplicaSets, replicaSet, status: true);

        var pods = new List<string>(replicas);
        for (var p = 0; p < replicas; p++)
        {
            var pod = store.Create(BuiltinResources.Pods, WorkloadObjects.Pod(replicaSet, PodSuffix(p), NodeOf(settings, index, p)));
            pod["status"] = WorkloadObjects.RunningStatus(pod, WorkloadObjects.GoodImage(index), since);
            store.Update(BuiltinResources.Pods, pod, status: true);
            pods.Add(WorkloadObjects.Str(pod["metadata"]!.AsObject(), "name"));
        }

        var generation = WorkloadObjects.Number(deployment["metadata"]!["generation"]);
        deployment["status"] = WorkloadObjects.AvailableDeploymentStatus(generation, replicas, WorkloadObjects.Str(replicaSet["metadata"]!.AsObject(), "name"), since);
        store.Update(BuiltinResources.Deployments, deployment, status: true);
        return new FleetMember(index, ns, WorkloadObjects.DeploymentName(index), WorkloadObjects.Str(replicaSet["metadata"]!.AsObject(), "name"), pods);
    }

    /// <summary>With a node fleet, pods are spread over its nodes round-robin, as a spreading scheduler would place them.</summary>
    private static string NodeOf(BenchSettings settings, int deployment, int pod) =>
        settings.Nodes > 0 ? NodeFleet.NodeName((deployment * settings.PodsPerDeployment + pod) % settings.Nodes) : "sim-node-1";

    /// <summary>A pod name suffix in the shape the ReplicaSet controller generates (five characters of the safe alphabet).</summary>
    public static string PodSuffix(int ordinal)
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        var chars = new char[5];
        var value = ordinal + 1_000;
        for (var c = 4; c >= 0; c--)
        {
            chars[c] = alphabet[value % alphabet.Length];
            value /= alphabet.Length;
        }

        return new string(chars);
    }
}
