using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Observations;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Controllers;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Controllers;

/// <summary>
/// Detection, keyed by Deployment: woken by the Deployment, its ReplicaSets and pods, a policy's spec change, and an
/// OOM kill on a node its pods run on. StatefulSets and DaemonSets have a detection controller each, keyed by the
/// workload and woken by it, its ControllerRevisions, its pods and a policy's spec change; all three share one
/// reconciler, told the kind it reconciles.
/// </summary>
public sealed record RolloutDetectionFeature(DetectionOptions Options) : IOperatorFeature
{
    public void Setup(OperatorParts parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var cache = parts.Cache;
        var loggers = parts.Manager.Loggers;
        var opener = new IncidentOpener(parts.Client, cache, parts.Observer, parts.Statuses, parts.Events, loggers.CreateLogger<IncidentOpener>());
        var annotator = new AvailabilityAnnotator(parts.Client, loggers.CreateLogger<AvailabilityAnnotator>());
        ControllerBuilder.ManagedBy(parts.Manager)
            .Named(RolloutDetectionReconciler.Name)
            .WithWorkers(2)
            .For(cache.Deployments.Members)
            .Owns(cache.ReplicaSets.Members, "apps", "Deployment")
            .Watches(cache.Pods.Members, pod => DeploymentOf(cache, pod))
            // A new or changed policy may govern Deployments that were not governed before. Only a spec change can: the
            // policy's own status, rewritten as its incidents move, must not wake every Deployment of the namespace.
            .Watches(cache.Policies.Members, p => DeploymentsIn(cache, p.Namespace ?? string.Empty), Predicates.GenerationChanged<RemediationPolicy>())
            .Watches(parts.NodeOoms.Informers, oom => DeploymentsOnNode(cache, oom.Event.Node))
            .Complete(new RolloutDetectionReconciler(WorkloadKinds.Deployment, cache, parts.Policies, parts.Observer, opener, annotator, Options, parts.Manager.Time));
        foreach (var (kind, workloads) in new[] { (WorkloadKinds.StatefulSet, cache.StatefulSets), (WorkloadKinds.DaemonSet, cache.DaemonSets) })
        {
            ControllerBuilder.ManagedBy(parts.Manager)
                .Named(RolloutDetectionReconciler.NameFor(kind))
                .For(workloads.Members)
                .Owns(cache.ControllerRevisions.Members, "apps", kind)
                .Owns(cache.Pods.Members, "apps", kind)
                .Watches(cache.Policies.Members, p => WorkloadsIn(workloads, p.Namespace ?? string.Empty), Predicates.GenerationChanged<RemediationPolicy>())
                .Complete(new RolloutDetectionReconciler(kind, cache, parts.Policies, parts.Observer, opener, annotator, Options, parts.Manager.Time));
        }
    }

    /// <summary>Pod → its ReplicaSet → that ReplicaSet's Deployment.</summary>
    private static IEnumerable<ReconcileRequest> DeploymentOf(ClusterCache cache, CachedPod pod)
    {
        var replicaSet = pod.Observation.OwnerReplicaSet is { } name ? cache.ReplicaSets.Get(pod.Namespace, name) : null;
        return replicaSet is not null && OwnerMapping.ControllerOwner(replicaSet, "apps", "Deployment") is { } owner ? [owner] : [];
    }

    private static IEnumerable<ReconcileRequest> DeploymentsIn(ClusterCache cache, string ns) => WorkloadsIn(cache.Deployments, ns);

    private static IEnumerable<ReconcileRequest> WorkloadsIn(InformerGroup<CachedDeployment> workloads, string ns) =>
        workloads.InNamespace(ns).Select(d => new ReconcileRequest(d.Namespace, d.Name));

    /// <summary>A node OOM wakes detection for every Deployment with a pod on that node.</summary>
    private static IEnumerable<ReconcileRequest> DeploymentsOnNode(ClusterCache cache, string node) =>
        cache.Pods.Members
            .SelectMany(m => m.Store.ByIndex(ClusterCache.PodsByNode, node))
            .Select(pod => pod.Observation.OwnerReplicaSet is { } name ? cache.ReplicaSets.Get(pod.Namespace, name) : null)
            .OfType<CachedReplicaSet>()
            .Select(rs => OwnerMapping.ControllerOwner(rs, "apps", "Deployment"))
            .OfType<ReconcileRequest>()
            .Distinct();
}
