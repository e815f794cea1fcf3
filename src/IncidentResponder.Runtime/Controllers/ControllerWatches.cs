using IncidentResponder.Runtime.Informers;

namespace IncidentResponder.Runtime.Controllers;

/// <summary>Connects informers to a controller's queue: the primary kind by its own key, owned kinds by their owner's key.</summary>
public static class ControllerWatches
{
    /// <summary>Every change of a primary object enqueues that object.</summary>
    public static IDisposable For<T>(this Controller controller, IInformer<T> informer)
        where T : class, ICachedObject =>
        informer.AddEventHandler(InformerEventHandler<T>.ForAll(obj => controller.Enqueue(new ReconcileRequest(obj.Namespace, obj.Name))));

    /// <summary>
    /// Every change of a child enqueues its controlling owner of the given group/kind. On update both the old and the
    /// new owner are enqueued, so an object that changes hands is reconciled on both sides.
    /// </summary>
    public static IDisposable Owns<T>(this Controller controller, IInformer<T> informer, string ownerGroup, string ownerKind)
        where T : class, ICachedObject
    {
        void EnqueueOwner(T obj)
        {
            if (OwnerMapping.ControllerOwner(obj, ownerGroup, ownerKind) is { } owner)
            {
                controller.Enqueue(owner);
            }
        }

        return informer.AddEventHandler(new InformerEventHandler<T>(
            onAdd: (obj, _) => EnqueueOwner(obj),
            onUpdate: (oldObj, newObj) =>
            {
                EnqueueOwner(oldObj);
                EnqueueOwner(newObj);
            },
            onDelete: EnqueueOwner));
    }

    /// <summary>Any mapping from a watched object to the requests it should trigger.</summary>
    public static IDisposable Watches<T>(this Controller controller, IInformer<T> informer, Func<T, IEnumerable<ReconcileRequest>> map)
        where T : class, ICachedObject =>
        informer.AddEventHandler(InformerEventHandler<T>.ForAll(obj =>
        {
            foreach (var request in map(obj))
            {
                controller.Enqueue(request);
            }
        }));
    /// <summary>
    /// As the mapping overload above, but an update enqueues only when <paramref name="updateMatters"/>(old, new) says so
    /// (controller-runtime's predicates, e.g. GenerationChangedPredicate: a status write is not a spec change). Adds and
    /// deletes always enqueue.
    /// </summary>
    public static IDisposable Watches<T>(this Controller controller, IInformer<T> informer, Func<T, IEnumerable<ReconcileRequest>> map, Func<T, T, bool> updateMatters)
        where T : class, ICachedObject
    {
        ArgumentNullException.ThrowIfNull(updateMatters);
        void Enqueue(T obj)
        {
            foreach (var request in map(obj))
            {
                controller.Enqueue(request);
            }
        }

        return informer.AddEventHandler(new InformerEventHandler<T>(
            (obj, _) => Enqueue(obj),
            (old, updated) =>
            {
                if (updateMatters(old, updated))
                {
                    Enqueue(updated);
                }
            },
            Enqueue));
    }
}
