using k8s;
using k8s.Models;

namespace IncidentResponder.Runtime.Informers;

/// <summary>The apps/v1 workloads besides Deployments, and the revision history they keep.</summary>
public static partial class KubernetesSources
{
    /// <summary>StatefulSets in one namespace, or in all namespaces when <paramref name="ns"/> is null.</summary>
    public static IListWatchSource<V1StatefulSet> StatefulSets(IKubernetes client, string? ns) =>
        new DelegateListWatchSource<V1StatefulSet>(
            "statefulsets",
            async (r, ct) => Page(ns is null
                ? await client.AppsV1.ListStatefulSetForAllNamespacesAsync(continueParameter: r.Continue, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, cancellationToken: ct).ConfigureAwait(false)
                : await client.AppsV1.ListNamespacedStatefulSetAsync(ns, continueParameter: r.Continue, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, cancellationToken: ct).ConfigureAwait(false)),
            (r, onError, ct) => ns is null
                ? client.AppsV1.WatchListStatefulSetForAllNamespacesAsync(allowWatchBookmarks: true, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct)
                : client.AppsV1.WatchListNamespacedStatefulSetAsync(ns, allowWatchBookmarks: true, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct));

    /// <summary>DaemonSets in one namespace, or in all namespaces when <paramref name="ns"/> is null.</summary>
    public static IListWatchSource<V1DaemonSet> DaemonSets(IKubernetes client, string? ns) =>
        new DelegateListWatchSource<V1DaemonSet>(
            "daemonsets",
            async (r, ct) => Page(ns is null
                ? await client.AppsV1.ListDaemonSetForAllNamespacesAsync(continueParameter: r.Continue, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, cancellationToken: ct).ConfigureAwait(false)
                : await client.AppsV1.ListNamespacedDaemonSetAsync(ns, continueParameter: r.Continue, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, cancellationToken: ct).ConfigureAwait(false)),
            (r, onError, ct) => ns is null
                ? client.AppsV1.WatchListDaemonSetForAllNamespacesAsync(allowWatchBookmarks: true, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct)
                : client.AppsV1.WatchListNamespacedDaemonSetAsync(ns, allowWatchBookmarks: true, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct));

    /// <summary>ControllerRevisions (the revision history of StatefulSets and DaemonSets) in one namespace, or in all namespaces when <paramref name="ns"/> is null.</summary>
    public static IListWatchSource<V1ControllerRevision> ControllerRevisions(IKubernetes client, string? ns) =>
        new DelegateListWatchSource<V1ControllerRevision>(
            "controllerrevisions",
            async (r, ct) => Page(ns is null
                ? await client.AppsV1.ListControllerRevisionForAllNamespacesAsync(continueParameter: r.Continue, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, cancellationToken: ct).ConfigureAwait(false)
                : await client.AppsV1.ListNamespacedControllerRevisionAsync(ns, continueParameter: r.Continue, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, limit: r.Limit, cancellationToken: ct).ConfigureAwait(false)),
            (r, onError, ct) => ns is null
                ? client.AppsV1.WatchListControllerRevisionForAllNamespacesAsync(allowWatchBookmarks: true, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct)
                : client.AppsV1.WatchListNamespacedControllerRevisionAsync(ns, allowWatchBookmarks: true, fieldSelector: r.FieldSelector, labelSelector: r.LabelSelector, resourceVersion: r.ResourceVersion, timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct));
}
