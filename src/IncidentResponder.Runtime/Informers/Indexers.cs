namespace IncidentResponder.Runtime.Informers;

/// <summary>Ready-made index functions.</summary>
public static class Indexers
{
    public const string ByControllerOwner = "controller-owner";

    /// <summary>Indexes an object by "namespace/kind/name" of its controller owner, e.g. pods by ReplicaSet.</summary>
    public static IEnumerable<string> ControllerOwner(ICachedObject obj)
    {
        foreach (var owner in obj.OwnerReferences)
        {
            if (owner.IsController)
            {
                yield return OwnerIndexValue(obj.Namespace, owner.Kind, owner.Name);
            }
        }
    }

    public static string OwnerIndexValue(string? ns, string ownerKind, string ownerName) => $"{ns}/{ownerKind}/{ownerName}";
}
