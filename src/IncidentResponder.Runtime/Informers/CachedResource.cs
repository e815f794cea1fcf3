using k8s;
using k8s.Models;

namespace IncidentResponder.Runtime.Informers;

/// <summary>A whole object kept in a store, for kinds the operator reads in full (usually its own custom resources).</summary>
public sealed record CachedResource<T>(T Object) : ICachedObject
    where T : IKubernetesObject<V1ObjectMeta>
{
    public string? Namespace => Object.Metadata.NamespaceProperty;

    public string Name => Object.Metadata.Name;

    public string? ResourceVersion => Object.Metadata.ResourceVersion;

    public IReadOnlyList<OwnerRef> OwnerReferences => OwnerRef.From(Object.Metadata.OwnerReferences);

    public static CachedResource<T> Project(T obj) => new(obj);
}
