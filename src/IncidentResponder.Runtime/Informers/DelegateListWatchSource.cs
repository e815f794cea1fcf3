using k8s;

namespace IncidentResponder.Runtime.Informers;

/// <summary>A list/watch source from two delegates, so any generated KubernetesClient list/watch pair can feed an informer.</summary>
public sealed class DelegateListWatchSource<T>(
    string resource,
    Func<ListRequest, CancellationToken, Task<ListPage<T>>> list,
    Func<WatchRequest, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch) : IListWatchSource<T>
{
    public string Resource => resource;

    public Task<ListPage<T>> ListAsync(ListRequest request, CancellationToken cancellationToken) => list(request, cancellationToken);

    public IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(WatchRequest request, Action<Exception> onError, CancellationToken cancellationToken) =>
        watch(request, onError, cancellationToken);
}
