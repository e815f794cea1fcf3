using IncidentResponder.Runtime.Informers;

namespace IncidentResponder.Runtime.Controllers;

/// <summary>Maps a child object to the request of the object that controls it (controller-runtime's EnqueueRequestForOwner).</summary>
public static class OwnerMapping
{
    /// <summary>
    /// The owner named by the child's <em>controller</em> ownerReference, if its group and kind match. Only the
    /// controller reference counts: other owners do not manage the child. Owners live in the child's namespace.
    /// </summary>
    public static ReconcileRequest? ControllerOwner(ICachedObject child, string ownerGroup, string ownerKind)
    {
        foreach (var owner in child.OwnerReferences)
        {
            if (owner.IsController && owner.Kind == ownerKind && owner.Group == ownerGroup)
            {
                return new ReconcileRequest(child.Namespace, owner.Name);
            }
        }

        return null;
    }
}
