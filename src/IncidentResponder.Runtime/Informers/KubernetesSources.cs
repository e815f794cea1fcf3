using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace IncidentResponder.Runtime.Informers;

/// <summary>
/// List/watch sources over KubernetesClient's generated operations. Every watch asks for bookmarks and a server-side
/// timeout, and passes the caller's onError through, because without it the client swallows 410 Expired.
/// </summary>
public static partial class KubernetesSources
{
    /// <summary>Pods in one namespace, or in all namespaces when <paramref name="ns"/> is null.</summary>
    public static IListWatchSource<V1Pod> Pods(IKubernetes client, string? ns) =>
        new DelegateListWatchSource<V1Pod>(
            "pods",
            async (r, ct) => Page(ns is null
                ? await client.CoreV1.ListPodForAllNamespacesAsync(continueParameter: r.Continue, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, cancellationToken: ct).ConfigureAwait(false)
                : await client.CoreV1.ListNamespacedPodAsync(ns, continueParameter: r.Continue, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, cancellationToken: ct).ConfigureAwait(false)),
            (r, onError, ct) => ns is null
                ? client.CoreV1.WatchListPodForAllNamespacesAsync(allowWatchBookmarks: true, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct)
                : client.CoreV1.WatchListNamespacedPodAsync(ns, allowWatchBookmarks: true, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct));

    /// <summary>ReplicaSets in one namespace, or in all namespaces when <paramref name="ns"/> is null.</summary>
    public static IListWatchSource<V1ReplicaSet> ReplicaSets(IKubernetes client, string? ns) =>
        new DelegateListWatchSource<V1ReplicaSet>(
            "replicasets",
            async (r, ct) => Page(ns is null
                ? await client.AppsV1.ListReplicaSetForAllNamespacesAsync(continueParameter: r.Continue, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, cancellationToken: ct).ConfigureAwait(false)
                : await client.AppsV1.ListNamespacedReplicaSetAsync(ns, continueParameter: r.Continue, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, cancellationToken: ct).ConfigureAwait(false)),
            (r, onError, ct) => ns is null
                ? client.AppsV1.WatchListReplicaSetForAllNamespacesAsync(allowWatchBookmarks: true, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct)
                : client.AppsV1.WatchListNamespacedReplicaSetAsync(ns, allowWatchBookmarks: true, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct));

    /// <summary>Deployments in one namespace, or in all namespaces when <paramref name="ns"/> is null.</summary>
    public static IListWatchSource<V1Deployment> Deployments(IKubernetes client, string? ns) =>
        new DelegateListWatchSource<V1Deployment>(
            "deployments",
            async (r, ct) => Page(ns is null
                ? await client.AppsV1.ListDeploymentForAllNamespacesAsync(continueParameter: r.Continue, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, cancellationToken: ct).ConfigureAwait(false)
                : await client.AppsV1.ListNamespacedDeploymentAsync(ns, continueParameter: r.Continue, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, cancellationToken: ct).ConfigureAwait(false)),
            (r, onError, ct) => ns is null
                ? client.AppsV1.WatchListDeploymentForAllNamespacesAsync(allowWatchBookmarks: true, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct)
                : client.AppsV1.WatchListNamespacedDeploymentAsync(ns, allowWatchBookmarks: true, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct));

    /// <summary>batch/v1 CronJobs in one namespace, or in all namespaces when <paramref name="ns"/> is null.</summary>
    public static IListWatchSource<V1CronJob> CronJobs(IKubernetes client, string? ns) =>
        new DelegateListWatchSource<V1CronJob>(
            "cronjobs",
            async (r, ct) => Page(ns is null
                ? await client.BatchV1.ListCronJobForAllNamespacesAsync(continueParameter: r.Continue, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, cancellationToken: ct).ConfigureAwait(false)
                : await client.BatchV1.ListNamespacedCronJobAsync(ns, continueParameter: r.Continue, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, cancellationToken: ct).ConfigureAwait(false)),
            (r, onError, ct) => ns is null
                ? client.BatchV1.WatchListCronJobForAllNamespacesAsync(allowWatchBookmarks: true, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct)
                : client.BatchV1.WatchListNamespacedCronJobAsync(ns, allowWatchBookmarks: true, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct));

    /// <summary>batch/v1 Jobs in one namespace, or in all namespaces when <paramref name="ns"/> is null.</summary>
    public static IListWatchSource<V1Job> Jobs(IKubernetes client, string? ns) =>
        new DelegateListWatchSource<V1Job>(
            "jobs",
            async (r, ct) => Page(ns is null
                ? await client.BatchV1.ListJobForAllNamespacesAsync(continueParameter: r.Continue, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, cancellationToken: ct).ConfigureAwait(false)
                : await client.BatchV1.ListNamespacedJobAsync(ns, continueParameter: r.Continue, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, cancellationToken: ct).ConfigureAwait(false)),
            (r, onError, ct) => ns is null
                ? client.BatchV1.WatchListJobForAllNamespacesAsync(allowWatchBookmarks: true, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct)
                : client.BatchV1.WatchListNamespacedJobAsync(ns, allowWatchBookmarks: true, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct));

    /// <summary>
    /// core/v1 Events in one namespace, or in all namespaces when <paramref name="ns"/> is null. Pass a field selector
    /// (e.g. <c>reason=OOMKilling</c>) through the informer options: the API server filters events by involvedObject.*,
    /// reason, reportingComponent, source and type, so only the few events wanted cross the wire.
    /// </summary>
    public static IListWatchSource<Corev1Event> Events(IKubernetes client, string? ns) =>
        new DelegateListWatchSource<Corev1Event>(
            "events",
            async (r, ct) => Page(ns is null
                ? await client.CoreV1.ListEventForAllNamespacesAsync(continueParameter: r.Continue, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, cancellationToken: ct).ConfigureAwait(false)
                : await client.CoreV1.ListNamespacedEventAsync(ns, continueParameter: r.Continue, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, cancellationToken: ct).ConfigureAwait(false)),
            (r, onError, ct) => ns is null
                ? client.CoreV1.WatchListEventForAllNamespacesAsync(allowWatchBookmarks: true, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct)
                : client.CoreV1.WatchListNamespacedEventAsync(ns, allowWatchBookmarks: true, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct));

    /// <summary>
    /// A custom resource kind, namespaced (<paramref name="ns"/> set) or across all namespaces.
    /// The custom-object watch yields <see cref="JsonElement"/>s; they are deserialized here into <typeparamref name="T"/>.
    /// </summary>
    public static IListWatchSource<T> CustomObjects<T>(IKubernetes client, string group, string version, string plural, string? ns)
        where T : IKubernetesObject<V1ObjectMeta> =>
        new DelegateListWatchSource<T>(
            plural,
            async (r, ct) =>
            {
                var list = ns is null
                    ? await client.CustomObjects.ListClusterCustomObjectAsync<KubernetesList<T>>(group, version, plural, continueParameter: r.Continue, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, cancellationToken: ct).ConfigureAwait(false)
                    : await client.CustomObjects.ListNamespacedCustomObjectAsync<KubernetesList<T>>(group, version, ns, plural, continueParameter: r.Continue, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, cancellationToken: ct).ConfigureAwait(false);
                return new ListPage<T>([.. list.Items ?? []], list.Metadata?.ResourceVersion, list.Metadata?.ContinueProperty);
            },
            (r, onError, ct) => Typed<T>(
                ns is null
                    ? client.CustomObjects.WatchListClusterCustomObjectAsync(group, version, plural, allowWatchBookmarks: true, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct)
                    : client.CustomObjects.WatchListNamespacedCustomObjectAsync(group, version, ns, plural, allowWatchBookmarks: true, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct),
                ct));

    private static ListPage<TItem> Page<TItem>(IItems<TItem> list)
        where TItem : IKubernetesObject<V1ObjectMeta>
    {
        var meta = ((IMetadata<V1ListMeta>)list).Metadata;
        return new ListPage<TItem>([.. list.Items ?? []], meta?.ResourceVersion, meta?.ContinueProperty);
    }

    private static async IAsyncEnumerable<(WatchEventType, T)> Typed<T>(
        IAsyncEnumerable<(WatchEventType, object)> events,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (type, item) in events.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return (type, item is JsonElement element ? KubernetesJson.Deserialize<T>(element) : (T)item);
        }
    }
}
