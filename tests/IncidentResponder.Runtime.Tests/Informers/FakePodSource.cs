using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using IncidentResponder.Runtime.Informers;
using k8s;
using k8s.Models;

namespace IncidentResponder.Runtime.Tests.Informers;

/// <summary>
/// A list/watch source the test drives by hand: lists serve <see cref="Objects"/> in pages, each watch is a channel the
/// test writes events or errors into. Records every request so tests can check what the informer asked for.
/// </summary>
internal sealed class FakePodSource : IListWatchSource<V1Pod>
{
    private volatile Channel<Func<(WatchEventType, V1Pod)>>? _current;

    public string Resource => "pods";

    public SortedDictionary<string, V1Pod> Objects { get; } = new(StringComparer.Ordinal);

    public string ListResourceVersion { get; set; } = "100";

    public ConcurrentQueue<ListRequest> Lists { get; } = new();

    public ConcurrentQueue<WatchRequest> Watches { get; } = new();

    public Exception? FailNextList { get; set; }

    public async Task<ListPage<V1Pod>> ListAsync(ListRequest request, CancellationToken cancellationToken)
    {
        await Task.Yield();
        Lists.Enqueue(request);
        if (FailNextList is { } failure)
        {
            FailNextList = null;
            throw failure;
        }

        var start = request.Continue is null ? 0 : int.Parse(request.Continue, System.Globalization.CultureInfo.InvariantCulture);
        var page = Objects.Values.Skip(start).Take(request.Limit).ToList();
        var next = start + page.Count < Objects.Count ? (start + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return new ListPage<V1Pod>(page, ListResourceVersion, next);
    }

    public async IAsyncEnumerable<(WatchEventType Type, V1Pod Object)> WatchAsync(
        WatchRequest request, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Open the channel before recording the request: tests wait for the request to appear, then write into the
        // channel, so the other order let a test see the watch before it could be written to.
        var channel = Channel.CreateUnbounded<Func<(WatchEventType, V1Pod)>>();
        _current = channel;
        Watches.Enqueue(request);
        await foreach (var next in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            (WatchEventType, V1Pod)? item = null;
            try
            {
                item = next();
            }
            catch (Exception error)
            {
                // Same contract as KubernetesClient: decode and status errors go to onError.
                onError(error);
            }

            if (item is { } value)
            {
                yield return value;
            }
        }
    }

    public void Send(WatchEventType type, V1Pod pod) => Current.Writer.TryWrite(() => (type, pod));

    public void SendError(Exception error) => Current.Writer.TryWrite(() => throw error);

    public void Close() => Current.Writer.TryComplete();

    public void Fail(Exception transportError) => Current.Writer.TryComplete(transportError);

    private Channel<Func<(WatchEventType, V1Pod)>> Current => _current ?? throw new InvalidOperationException("No watch open");

    public static V1Pod Pod(string name, string rv, string? owner = null, string phase = "Running") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "ns",
            ResourceVersion = rv,
            Uid = $"uid-{name}",
            Labels = new Dictionary<string, string> { ["app"] = "web", ["tier"] = "frontend" },
            Annotations = new Dictionary<string, string> { ["big"] = new string('x', 2000) },
            OwnerReferences = owner is null ? null : [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = owner, Uid = $"uid-{owner}", Controller = true }],
        },
        Spec = new V1PodSpec { NodeName = "node-1", Containers = [new V1Container { Name = "app", Image = "web:1" }] },
        Status = new V1PodStatus
        {
            Phase = phase,
            ContainerStatuses =
            [
                new V1ContainerStatus
                {
                    Name = "app",
                    Ready = false,
                    RestartCount = 4,
                    Image = "web:1",
                    ImageID = "sha",
                    State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "CrashLoopBackOff" } },
                    LastState = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 137, Reason = "OOMKilled" } },
                },
            ],
        },
    };

    public static V1Pod Bookmark(string rv) => new() { Metadata = new V1ObjectMeta { ResourceVersion = rv } };
}
