using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Controllers;

namespace IncidentResponder.Operator.Hosting;

/// <summary>Which changes wake which controller. Every mapping ends in a key; reconciles read the caches themselves.</summary>
internal static class OperatorWatches
{
    public static void Connect(ClusterCache cache, Controller detection, Controller incidents, Controller runbooks, Controller policies)
    {
        foreach (var informer in cache.Deployments.Members)
        {
            detection.For(informer);
            incidents.Watches(informer, d => OpenIncidentsOf(cache, d.Namespace, d.Name));
            policies.Watches(informer, d => PoliciesIn(cache, d.Namespace));
        }

        foreach (var informer in cache.ReplicaSets.Members)
        {
            detection.Owns(informer, "apps", "Deployment");
        }

        foreach (var informer in cache.Pods.Members)
        {
            detection.Watches(informer, pod => DeploymentOf(cache, pod));
        }

        foreach (var informer in cache.Incidents.Members)
        {
            incidents.For(informer);
            policies.Watches(informer, i => PoliciesIn(cache, i.Namespace ?? string.Empty));
        }

        foreach (var informer in cache.Runbooks.Members)
        {
            runbooks.For(informer);
            policies.Watches(informer, r => PoliciesIn(cache, r.Namespace ?? string.Empty));
        }

        foreach (var informer in cache.Policies.Members)
        {
            policies.For(informer);
            // A new or changed policy may govern Deployments that were not governed before. Only a spec change (a new
            // generation) can: the policy's own status, rewritten as its incidents move, must not wake every Deployment
            // of the namespace.
            detection.Watches(informer, p => cache.Deployments.InNamespace(p.Namespace ?? string.Empty).Select(d => new ReconcileRequest(d.Namespace, d.Name)),
                (old, updated) => old.Object.Metadata.Generation != updated.Object.Metadata.Generation);
        }
    }

    /// <summary>Pod → its ReplicaSet → that ReplicaSet's Deployment.</summary>
    private static IEnumerable<ReconcileRequest> DeploymentOf(ClusterCache cache, CachedPod pod)
    {
        var replicaSet = pod.Observation.OwnerReplicaSet is { } name ? cache.ReplicaSets.Get(pod.Namespace, name) : null;
        return replicaSet is not null && OwnerMapping.ControllerOwner(replicaSet, "apps", "Deployment") is { } owner ? [owner] : [];
    }

    private static IEnumerable<ReconcileRequest> OpenIncidentsOf(ClusterCache cache, string ns, string target) =>
        cache.IncidentsOf(ns, target)
            .Where(i => i.Status?.Phase is not (null or IncidentPhase.Resolved or IncidentPhase.Escalated))
            .Select(i => new ReconcileRequest(ns, i.Metadata.Name));

    private static IEnumerable<ReconcileRequest> PoliciesIn(ClusterCache cache, string ns) =>
        cache.PoliciesIn(ns).Select(p => new ReconcileRequest(ns, p.Metadata.Name));
}
