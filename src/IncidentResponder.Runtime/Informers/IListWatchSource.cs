using k8s;

namespace IncidentResponder.Runtime.Informers;

/// <summary>
/// LIST and WATCH for one resource kind. Implementations translate to KubernetesClient calls; tests can feed anything.
/// A watch implementation must route status events (410 Expired and others) and undecodable lines to
/// <c>onError</c>, which is how KubernetesClient's watch enumerators report them.
/// </summary>
public interface IListWatchSource<T>
{
    /// <summary>For logs and metric labels, e.g. "pods".</summary>
    string Resource { get; }

    Task<ListPage<T>> ListAsync(ListRequest request, CancellationToken cancellationToken);

    IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(WatchRequest request, Action<Exception> onError, CancellationToken cancellationToken);
}

public sealed record ListRequest(string? LabelSelector, string? FieldSelector, int Limit, string? Continue);

public sealed record ListPage<T>(IReadOnlyList<T> Items, string? ResourceVersion, string? Continue);

public sealed record WatchRequest(string ResourceVersion, string? LabelSelector, string? FieldSelector, int TimeoutSeconds);
