using System.Collections.Concurrent;
using System.Globalization;
using k8s;

namespace IncidentResponder.Operator.Bench;

/// <summary>
/// The baseline: a bare KubernetesClient watch of all pods (its own client and connection, events deserialized into
/// V1Pod as the operator's informer gets them), noting when each resourceVersion arrived. Commit-to-receipt over this
/// watch is the least any watch-driven controller can take to see a change.
/// </summary>
internal sealed class PodWatchRecorder(IKubernetes client, string fromResourceVersion)
{
    private readonly ConcurrentDictionary<long, DateTimeOffset> _received = new();
    private Exception? _streamError;

    public IReadOnlyDictionary<long, DateTimeOffset> Received => _received;

    public Exception? StreamError => _streamError;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var watch = client.CoreV1.WatchListPodForAllNamespacesAsync(
            allowWatchBookmarks: true,
            resourceVersion: fromResourceVersion,
            timeoutSeconds: 3600,
            onError: error => _streamError ??= error,
            cancellationToken: cancellationToken);
        try
        {
            await foreach (var (type, pod) in watch.ConfigureAwait(false))
            {
                var at = DateTimeOffset.UtcNow;
                if (type is WatchEventType.Added or WatchEventType.Modified or WatchEventType.Deleted
                    && long.TryParse(pod.Metadata?.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var rv))
                {
                    _received.TryAdd(rv, at);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run is over.
        }
    }
}
