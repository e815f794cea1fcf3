using k8s.Models;

namespace IncidentResponder.Runtime.Informers;

/// <summary>The parts of a metadata.ownerReferences entry needed to find an object's owner.</summary>
public sealed record OwnerRef(string ApiVersion, string Kind, string Name, string? Uid, bool IsController)
{
    public static IReadOnlyList<OwnerRef> From(IList<V1OwnerReference>? references, StringPool? pool = null)
    {
        if (references is null || references.Count == 0)
        {
            return [];
        }

        var result = new OwnerRef[references.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var reference = references[i];
            result[i] = new OwnerRef(
                StringPool.Share(pool, reference.ApiVersion),
                StringPool.Share(pool, reference.Kind),
                reference.Name,
                reference.Uid,
                reference.Controller == true);
        }

        return result;
    }

    /// <summary>The API group of <see cref="ApiVersion"/> ("" for the core group).</summary>
    public string Group => ApiVersion.Contains('/', StringComparison.Ordinal) ? ApiVersion[..ApiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;
}
