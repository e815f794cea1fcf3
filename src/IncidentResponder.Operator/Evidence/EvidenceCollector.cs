using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Evidence;
using IncidentResponder.Core.Observations;
using IncidentResponder.Operator.Observation;
using k8s;

namespace IncidentResponder.Operator.Evidence;

/// <summary>
/// Gathers what a responder would look at first (logs, Events, rollout history): which pods and containers are
/// failing comes from the informer caches; their logs (current and previous), the target's Events and its progress deadline are read from the API.
/// </summary>
public sealed class EvidenceCollector(IKubernetes client, ClusterCache cache, PodLogReader logs, TargetEventReader events, EvidenceLimits limits)
{
    public async Task<EvidenceBundle> CollectAsync(Incident incident, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ns = incident.Metadata.NamespaceProperty;
        var target = incident.Spec.TargetRef.Name;
        var deployment = cache.Deployment(ns, target);
        var replicaSets = deployment is null ? [] : cache.ReplicaSetsOf(deployment);
        var failingRevision = incident.Status?.Change?.FailingRevision ?? deployment?.Observation.CurrentRevision;

        var rawLogs = new List<RawLog>();
        foreach (var (pod, containers) in FailingContainers(replicaSets, failingRevision))
        {
            foreach (var container in containers)
            {
                rawLogs.Add(await logs.ReadAsync(ns, pod.Name, container.Name, previous: false, limits.MaxLinesRead, limits.MaxBytesRead, cancellationToken).ConfigureAwait(false));
                if (container.RestartCount > 0 || container.LastTerminatedReason is not null)
                {
                    rawLogs.Add(await logs.ReadAsync(ns, pod.Name, container.Name, previous: true, limits.MaxLinesRead, limits.MaxBytesRead, cancellationToken).ConfigureAwait(false));
                }
            }
        }

        var targetEvents = await events.ReadAsync(ns, target, [.. replicaSets.Select(rs => rs.Name)], cancellationToken).ConfigureAwait(false);
        var snapshot = deployment is null ? null : await SnapshotAsync(deployment, cancellationToken).ConfigureAwait(false);
        var revisions = replicaSets.Select(rs => rs.Observation)
            .Select(o => new RevisionEntry(o.Revision, o.Name, [.. o.Template.Containers.Select(c => c.Image)], o.Replicas, o.ReadyReplicas, o.CreatedAt))
            .ToList();
        var diff = incident.Status?.Change is { } change ? new RevisionDiff(change.FailingRevision, change.GoodRevision, change.Differences ?? []) : null;
        return EvidenceBuilder.Build(new EvidenceInput(incident.Metadata.Name, ns, target, now, snapshot, rawLogs, targetEvents, revisions, diff), limits);
    }

    /// <summary>
    /// Pods of the failing revision, the most broken first (waiting, restarting, unready), and in each the containers
    /// that show it; a pod with no broken container is left out.
    /// </summary>
    private IEnumerable<(CachedPod Pod, IReadOnlyList<ContainerObservation> Containers)> FailingContainers(IReadOnlyList<CachedReplicaSet> replicaSets, long? revision)
    {
        var candidates = replicaSets.Where(rs => revision is null || rs.Observation.Revision == revision).ToList();
        return candidates.SelectMany(cache.PodsOf)
            .Where(p => !p.Terminating)
            .Select(p => (Pod: p, Containers: (IReadOnlyList<ContainerObservation>)[.. p.Observation.Containers.Where(Failing)]))
            .Where(x => x.Containers.Count > 0)
            .OrderByDescending(x => x.Containers.Max(c => c.RestartCount))
            .ThenBy(x => x.Pod.Name, StringComparer.Ordinal)
            .Take(limits.MaxPods);
    }

    private static bool Failing(ContainerObservation c) => c.WaitingReason is not null || c.RestartCount > 0 || c.LastTerminatedReason is not null || !c.Ready;

    /// <summary>The target now; progressDeadlineSeconds is not in the cache (nothing else reads it), so it is read live.</summary>
    private async Task<TargetSnapshot> SnapshotAsync(CachedDeployment deployment, CancellationToken cancellationToken)
    {
        var o = deployment.Observation;
        var live = await client.AppsV1.ReadNamespacedDeploymentAsync(o.Name, o.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        var containers = o.Template?.Containers.Select(c => new ContainerSettings(c.Name, c.Image,
            c.Requests.FirstOrDefault(r => r.Resource == "memory")?.Quantity, c.Limits.FirstOrDefault(r => r.Resource == "memory")?.Quantity,
            c.ReadinessProbe is not null, c.LivenessProbe is not null)).ToList() ?? [];
        return new TargetSnapshot(o.DesiredReplicas, o.AvailableReplicas, o.UnavailableReplicas, o.CurrentRevision, live.Spec?.ProgressDeadlineSeconds, containers);
    }
}
