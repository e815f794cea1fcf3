using k8s.Models;

namespace IncidentResponder.Runtime.Informers;

/// <summary>
/// The projection of a Pod an operator needs to judge workload health: identity, labels, owner, phase and each
/// container's state. A full V1Pod (spec, managed fields, annotations, conditions) is never kept. Repeated strings
/// come from a shared <see cref="StringPool"/>; labels are a flat array, not a dictionary.
/// </summary>
public sealed record PodSummary(
    string? Namespace,
    string Name,
    string? Uid,
    string? ResourceVersion,
    KeyValuePair<string, string>[] Labels,
    IReadOnlyList<OwnerRef> OwnerReferences,
    string? Phase,
    string? NodeName,
    DateTime? DeletionTimestamp,
    ContainerSummary[] Containers) : ICachedObject
{
    public string? Label(string key)
    {
        foreach (var label in Labels)
        {
            if (label.Key == key)
            {
                return label.Value;
            }
        }

        return null;
    }

    /// <summary>Builds a projection function sharing strings through <paramref name="pool"/>.</summary>
    public static Func<V1Pod, PodSummary> Projection(StringPool pool) => pod => From(pod, pool);

    public static PodSummary From(V1Pod pod, StringPool pool)
    {
        var meta = pod.Metadata;
        var labels = meta.Labels is { Count: > 0 } source
            ? source.Select(pair => new KeyValuePair<string, string>(pool.Get(pair.Key), pool.Get(pair.Value))).ToArray()
            : [];
        var statuses = pod.Status?.ContainerStatuses;
        var containers = statuses is { Count: > 0 }
            ? statuses.Select(status => ContainerSummary.From(status, pool)).ToArray()
            : [];
        return new PodSummary(
            StringPool.ShareNullable(pool, meta.NamespaceProperty),
            meta.Name,
            meta.Uid,
            meta.ResourceVersion,
            labels,
            OwnerRef.From(meta.OwnerReferences, pool),
            StringPool.ShareNullable(pool, pod.Status?.Phase),
            StringPool.ShareNullable(pool, pod.Spec?.NodeName),
            meta.DeletionTimestamp,
            containers);
    }
}

/// <summary>One container's state: enough to recognise crash loops, image pull failures and OOM kills.</summary>
public sealed record ContainerSummary(
    string Name,
    bool Ready,
    int RestartCount,
    string? WaitingReason,
    string? TerminatedReason,
    int? LastExitCode,
    string? LastTerminatedReason)
{
    public static ContainerSummary From(V1ContainerStatus status, StringPool pool) =>
        new(
            pool.Get(status.Name),
            status.Ready,
            status.RestartCount,
            StringPool.ShareNullable(pool, status.State?.Waiting?.Reason),
            StringPool.ShareNullable(pool, status.State?.Terminated?.Reason),
            status.LastState?.Terminated?.ExitCode ?? status.State?.Terminated?.ExitCode,
            StringPool.ShareNullable(pool, status.LastState?.Terminated?.Reason));
}
