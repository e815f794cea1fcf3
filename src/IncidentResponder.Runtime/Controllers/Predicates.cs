using IncidentResponder.Runtime.Informers;
using k8s;
using k8s.Models;

namespace IncidentResponder.Runtime.Controllers;

/// <summary>
/// controller-runtime's stock predicates. Each filters updates only: a create or a delete always matters. The
/// accessor overloads serve projected kinds; the parameterless ones serve whole objects kept as <see cref="CachedResource{T}"/>.
/// </summary>
public static class Predicates
{
    /// <summary>Updates that only touch status or metadata leave the generation alone: a status write is not a spec change.</summary>
    public static EventPredicate<T> GenerationChanged<T>(Func<T, long?> generation) =>
        new(Update: (oldObj, newObj) => generation(oldObj) != generation(newObj));

    public static EventPredicate<T> LabelsChanged<T>(Func<T, IDictionary<string, string>?> labels) =>
        new(Update: (oldObj, newObj) => !SameEntries(labels(oldObj), labels(newObj)));

    public static EventPredicate<T> AnnotationsChanged<T>(Func<T, IDictionary<string, string>?> annotations) =>
        new(Update: (oldObj, newObj) => !SameEntries(annotations(oldObj), annotations(newObj)));

    public static EventPredicate<CachedResource<TResource>> GenerationChanged<TResource>()
        where TResource : IKubernetesObject<V1ObjectMeta> =>
        GenerationChanged<CachedResource<TResource>>(r => r.Object.Metadata.Generation);

    public static EventPredicate<CachedResource<TResource>> LabelsChanged<TResource>()
        where TResource : IKubernetesObject<V1ObjectMeta> =>
        LabelsChanged<CachedResource<TResource>>(r => r.Object.Metadata.Labels);

    public static EventPredicate<CachedResource<TResource>> AnnotationsChanged<TResource>()
        where TResource : IKubernetesObject<V1ObjectMeta> =>
        AnnotationsChanged<CachedResource<TResource>>(r => r.Object.Metadata.Annotations);

    /// <summary>Absent and empty are the same map: the API server drops an emptied map.</summary>
    private static bool SameEntries(IDictionary<string, string>? a, IDictionary<string, string>? b)
    {
        var left = a ?? EmptyMap;
        var right = b ?? EmptyMap;
        return left.Count == right.Count && left.All(entry => right.TryGetValue(entry.Key, out var value) && string.Equals(value, entry.Value, StringComparison.Ordinal));
    }

    private static readonly IDictionary<string, string> EmptyMap = new Dictionary<string, string>();
}
