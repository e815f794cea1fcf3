namespace IncidentResponder.Runtime.Informers;

/// <summary>
/// Receives store changes, on the informer's own task and in order. Keep it fast (enqueue a key): a slow handler
/// delays every later event of this informer.
/// </summary>
public interface IInformerEventHandler<in T>
{
    void OnAdd(T obj, bool isInInitialList);

    void OnUpdate(T oldObj, T newObj);

    /// <summary>Also called for objects that vanished while the watch was down (found by the relist's diff).</summary>
    void OnDelete(T obj);
}
