namespace IncidentResponder.Runtime.Informers;

/// <summary>A running cache of one resource kind, as consumers (controllers, readiness) see it.</summary>
public interface IInformer<T>
    where T : class, ICachedObject
{
    string Resource { get; }

    IReadOnlyStore<T> Store { get; }

    /// <summary>True once the first LIST has been applied to the store.</summary>
    bool HasSynced { get; }

    Task WaitForSyncAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Subscribes; objects already in the store are delivered to the new handler as adds first, so a handler added
    /// late misses nothing. Dispose the result to unsubscribe.
    /// </summary>
    IDisposable AddEventHandler(IInformerEventHandler<T> handler);
}
