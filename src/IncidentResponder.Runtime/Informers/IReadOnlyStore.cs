namespace IncidentResponder.Runtime.Informers;

/// <summary>The informer's cache as readers see it: reconcilers read here instead of calling the API server.</summary>
public interface IReadOnlyStore<T>
    where T : class, ICachedObject
{
    int Count { get; }

    T? Get(ObjectKey key);

    IReadOnlyList<T> List();

    /// <summary>Objects whose indexer <paramref name="indexName"/> produced <paramref name="indexValue"/>.</summary>
    IReadOnlyList<T> ByIndex(string indexName, string indexValue);
}
