namespace IncidentResponder.Runtime.Informers;

/// <summary>The non-generic face of an informer the manager starts and watches for sync.</summary>
public interface IRunnableInformer
{
    string Resource { get; }

    bool HasSynced { get; }

    Task RunAsync(CancellationToken cancellationToken);
}
