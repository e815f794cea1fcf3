using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Informers;
using k8s;

namespace IncidentResponder.Operator.Tests.Notifications;

/// <summary>An informer whose store the test fills: the cache as of the last <see cref="SnapshotCache.SyncAsync"/>.</summary>
internal sealed class SnapshotInformer<T> : IInformer<T>
    where T : class, ICachedObject
{
    public SnapshotInformer(string resource)
    {
        Resource = resource;
        Store.AddIndexer(InformerGroup<T>.ByNamespace, o => [o.Namespace ?? string.Empty]);
    }

    public string Resource { get; }

    public Store<T> Store { get; } = new();

    IReadOnlyStore<T> IInformer<T>.Store => Store;

    public bool HasSynced => true;

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public IDisposable AddEventHandler(IInformerEventHandler<T> handler) => throw new NotSupportedException("the test drives reconciles itself");
}

/// <summary>
/// A <see cref="ClusterCache"/> of the namespace's Incidents, Runbooks and RemediationPolicies as the API server had them
/// at the last <see cref="SyncAsync"/>, for driving one controller's reconciles by hand under a fake clock.
/// </summary>
internal sealed class SnapshotCache(IKubernetes client, string ns)
{
    private readonly SnapshotInformer<CachedResource<Incident>> _incidents = new("incidents");
    private readonly SnapshotInformer<CachedResource<Runbook>> _runbooks = new("runbooks");
    private readonly SnapshotInformer<CachedResource<RemediationPolicy>> _policies = new("remediationpolicies");

    public ClusterCache Cache => field ??= new(
        Group(new SnapshotInformer<CachedDeployment>("deployments")),
        Group(new SnapshotInformer<CachedReplicaSet>("replicasets")),
        Group(new SnapshotInformer<CachedPod>("pods")),
        Group(_incidents),
        Group(_runbooks),
        Group(_policies),
        new WorkloadInformers(
            Group(new SnapshotInformer<CachedDeployment>("statefulsets")),
            Group(new SnapshotInformer<CachedDeployment>("daemonsets")),
            Group(new SnapshotInformer<CachedReplicaSet>("controllerrevisions"))));

    public async Task SyncAsync()
    {
        await FillAsync(_incidents, Incident.Plural);
        await FillAsync(_runbooks, Runbook.Plural);
        await FillAsync(_policies, RemediationPolicy.Plural);
    }

    private async Task FillAsync<T>(SnapshotInformer<CachedResource<T>> informer, string plural)
        where T : IKubernetesObject<k8s.Models.V1ObjectMeta>
    {
        var list = await client.CustomObjects.ListNamespacedCustomObjectAsync<CustomResourceList<T>>(
            GroupVersion.Group, GroupVersion.Version, ns, plural, cancellationToken: TestContext.Current.CancellationToken);
        informer.Store.Replace([.. list.Items.Select(CachedResource<T>.Project)]);
    }

    private InformerGroup<T> Group<T>(SnapshotInformer<T> informer)
        where T : class, ICachedObject => new([(ns, informer)]);
}
