using IncidentResponder.Runtime.Informers;

namespace IncidentResponder.Runtime.Controllers;

/// <summary>
/// Connects informers to a controller's queue: the primary kind by its own key, owned kinds by their owner's key, any
/// other kind through a mapping. Predicates (all must agree) decide which events are worth a reconcile.
/// </summary>
public static class ControllerWatches
{
    /// <summary>Every change of a primary object enqueues that object.</summary>
    public static IDisposable For<T>(this Controller controller, IInformer<T> informer, params IReadOnlyList<EventPredicate<T>> predicates)
        where T : class, ICachedObject =>
        informer.AddEventHandler(new EnqueueHandler<T>(controller.Enqueue, obj => [new ReconcileRequest(obj.Namespace, obj.Name)], enqueueOldOnUpdate: false, predicates));

    /// <summary>
    /// Every change of a child enqueues its controlling owner of the given group/kind. On update both the old and the
    /// new owner are enqueued, so an object that changes hands is reconciled on both sides.
    /// </summary>
    public static IDisposable Owns<T>(this Controller controller, IInformer<T> informer, string ownerGroup, string ownerKind, params IReadOnlyList<EventPredicate<T>> predicates)
        where T : class, ICachedObject =>
        informer.AddEventHandler(new EnqueueHandler<T>(controller.Enqueue, obj => OwnerMapping.ControllerOwner(obj, ownerGroup, ownerKind) is { } owner ? [owner] : [],
            enqueueOldOnUpdate: true, predicates));

    /// <summary>Any mapping from a watched object to the requests it should trigger; an update maps the new object.</summary>
    public static IDisposable Watches<T>(this Controller controller, IInformer<T> informer, Func<T, IEnumerable<ReconcileRequest>> map, params IReadOnlyList<EventPredicate<T>> predicates)
        where T : class, ICachedObject =>
        informer.AddEventHandler(new EnqueueHandler<T>(controller.Enqueue, map, enqueueOldOnUpdate: false, predicates));

    /// <summary>
    /// As the mapping overload above, but an update enqueues only when <paramref name="updateMatters"/>(old, new) says so
    /// (a predicate on updates alone). Adds and deletes always enqueue.
    /// </summary>
    public static IDisposable Watches<T>(this Controller controller, IInformer<T> informer, Func<T, IEnumerable<ReconcileRequest>> map, Func<T, T, bool> updateMatters)
        where T : class, ICachedObject
    {
        ArgumentNullException.ThrowIfNull(updateMatters);
        return controller.Watches(informer, map, new EventPredicate<T>(Update: updateMatters));
    }

    private sealed class EnqueueHandler<T>(
        Action<ReconcileRequest> enqueue, Func<T, IEnumerable<ReconcileRequest>> map, bool enqueueOldOnUpdate, IReadOnlyList<EventPredicate<T>> predicates)
        : IInformerEventHandler<T>
    {
        public void OnAdd(T obj, bool isInInitialList)
        {
            if (predicates.All(p => p.OnCreate(obj)))
            {
                Enqueue(obj);
            }
        }

        public void OnUpdate(T oldObj, T newObj)
        {
            if (!predicates.All(p => p.OnUpdate(oldObj, newObj)))
            {
                return;
            }

            if (enqueueOldOnUpdate)
            {
                Enqueue(oldObj);
            }

            Enqueue(newObj);
        }

        public void OnDelete(T obj)
        {
            if (predicates.All(p => p.OnDelete(obj)))
            {
                Enqueue(obj);
            }
        }

        private void Enqueue(T obj)
        {
            foreach (var request in map(obj))
            {
                enqueue(request);
            }
        }
    }
}
