using System.Runtime.CompilerServices;
using IncidentResponder.Runtime.Informers;
using k8s;
using k8s.Models;

namespace IncidentResponder.Runtime.Bench;

/// <summary>
/// The informer's real pod source, except that opening the WATCH waits for a gate. The replay run uses it to let the
/// informer LIST first, hold its watch while the writer fills the watch history, and then read that history from the
/// list's resourceVersion at full speed, as the bare watch loop does from the same resourceVersion.
/// </summary>
internal sealed class GatedPodSource(IListWatchSource<V1Pod> inner, Task gate) : IListWatchSource<V1Pod>
{
    public string Resource => inner.Resource;

    public Task<ListPage<V1Pod>> ListAsync(ListRequest request, CancellationToken cancellationToken) => inner.ListAsync(request, cancellationToken);

    public async IAsyncEnumerable<(WatchEventType Type, V1Pod Object)> WatchAsync(
        WatchRequest request,
        Action<Exception> onError,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var item in inner.WatchAsync(request, onError, cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }
}
