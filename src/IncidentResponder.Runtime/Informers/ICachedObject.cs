namespace IncidentResponder.Runtime.Informers;

/// <summary>
/// What an informer needs from every object it caches. Projections implement it with only the fields the operator
/// reads; <see cref="CachedResource{T}"/> implements it for a whole object when the operator needs all of it.
/// </summary>
public interface ICachedObject
{
    string? Namespace { get; }

    string Name { get; }

    /// <summary>Tells a relist which objects changed while the watch was down.</summary>
    string? ResourceVersion { get; }

    IReadOnlyList<OwnerRef> OwnerReferences { get; }
}
