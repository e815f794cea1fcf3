using IncidentResponder.Runtime.Informers;
using IncidentResponder.Runtime.Metrics;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace IncidentResponder.Runtime.Bench;

/// <summary>
/// Pod informers over all namespaces, built as the operator builds them: default options (LIST pages of 500, watch
/// with bookmarks) and the controller-owner index (pods by ReplicaSet), which is part of what a cached pod costs.
/// </summary>
internal static class PodInformers
{
    /// <summary>The projection the operator uses: <see cref="PodSummary"/> with a string pool of its own.</summary>
    public static Informer<V1Pod, PodSummary> Projected(IListWatchSource<V1Pod> source, RuntimeMetrics metrics)
    {
        var informer = new Informer<V1Pod, PodSummary>(source, PodSummary.Projection(new StringPool()), new InformerOptions(), metrics, NullLogger.Instance, TimeProvider.System);
        informer.AddIndexer(Indexers.ByControllerOwner, Indexers.ControllerOwner);
        return informer;
    }

    /// <summary>The whole V1Pod as KubernetesClient deserializes it (what a cache without projections holds).</summary>
    public static Informer<V1Pod, CachedResource<V1Pod>> Full(IListWatchSource<V1Pod> source, RuntimeMetrics metrics)
    {
        var informer = new Informer<V1Pod, CachedResource<V1Pod>>(source, CachedResource<V1Pod>.Project, new InformerOptions(), metrics, NullLogger.Instance, TimeProvider.System);
        informer.AddIndexer(Indexers.ByControllerOwner, Indexers.ControllerOwner);
        return informer;
    }

    public static IListWatchSource<V1Pod> AllPods(IKubernetes client) => KubernetesSources.Pods(client, null);
}
