using System.Diagnostics;
using k8s;

namespace IncidentResponder.Runtime.Bench;

/// <summary>
/// The baseline: a plain KubernetesClient watch of all pods from a given resourceVersion, counting MODIFIED events
/// (each deserialized into a V1Pod by the client, as the informer's are) until it has seen the expected number.
/// </summary>
internal sealed class BareWatchLoop(IKubernetes client, string resourceVersion, int expected, Task gate)
{
    private int _events;

    public int Events => Volatile.Read(ref _events);

    /// <summary><see cref="Stopwatch"/> timestamp of the last expected event.</summary>
    public long LastEventAt { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        Exception? streamError = null;
        var watch = client.CoreV1.WatchListPodForAllNamespacesAsync(
            allowWatchBookmarks: true,
            resourceVersion: resourceVersion,
            timeoutSeconds: 3600,
            onError: error => streamError ??= error,
            cancellationToken: cancellationToken);
        await foreach (var (type, pod) in watch.ConfigureAwait(false))
        {
            if (type != WatchEventType.Modified || pod.Metadata?.Name is null)
            {
                continue;
            }

            if (Interlocked.Increment(ref _events) == expected)
            {
                LastEventAt = Stopwatch.GetTimestamp();
                return;
            }
        }

        throw new InvalidOperationException($"The bare watch ended after {Events} of {expected} events.", streamError);
    }
}
