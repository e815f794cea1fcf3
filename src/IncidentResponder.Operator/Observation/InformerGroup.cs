using IncidentResponder.Runtime.Informers;

namespace IncidentResponder.Operator.Observation;

/// <summary>
/// The informers of one kind across the watched namespaces: one informer for all namespaces, or one per namespace
/// when <c>--namespace</c> limits the operator (so it needs no cluster-wide list permission). Reads route by namespace.
/// </summary>
public sealed class InformerGroup<T>
    where T : class, ICachedObject
{
    public const string ByNamespace = "namespace";

    private readonly IReadOnlyDictionary<string, IInformer<T>> _byNamespace;
    private readonly IInformer<T>? _allNamespaces;

    public InformerGroup(IReadOnlyList<(string? Namespace, IInformer<T> Informer)> members)
    {
        Members = [.. members.Select(m => m.Informer)];
        _allNamespaces = members.FirstOrDefault(m => m.Namespace is null).Informer;
        _byNamespace = members.Where(m => m.Namespace is not null).ToDictionary(m => m.Namespace!, m => m.Informer, StringComparer.Ordinal);
    }

    public IReadOnlyList<IInformer<T>> Members { get; }

    public T? Get(string ns, string name) => For(ns)?.Store.Get(new ObjectKey(ns, name));

    public IReadOnlyList<T> InNamespace(string ns) => For(ns)?.Store.ByIndex(ByNamespace, ns) ?? [];

    /// <summary>Objects an indexer filed under <paramref name="value"/>; index values start with the namespace.</summary>
    public IReadOnlyList<T> ByIndex(string ns, string index, string value) => For(ns)?.Store.ByIndex(index, value) ?? [];

    public IReadOnlyList<T> All() => [.. Members.SelectMany(m => m.Store.List())];

    private IInformer<T>? For(string ns) => _allNamespaces ?? _byNamespace.GetValueOrDefault(ns);
}
