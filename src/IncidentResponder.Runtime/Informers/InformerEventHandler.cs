namespace IncidentResponder.Runtime.Informers;

/// <summary>An <see cref="IInformerEventHandler{T}"/> from delegates, for handlers that only care about some events.</summary>
public sealed class InformerEventHandler<T>(
    Action<T, bool>? onAdd = null,
    Action<T, T>? onUpdate = null,
    Action<T>? onDelete = null) : IInformerEventHandler<T>
{
    /// <summary>One action for every kind of change (typically: enqueue a key).</summary>
    public static InformerEventHandler<T> ForAll(Action<T> onChange) =>
        new((obj, _) => onChange(obj), (_, obj) => onChange(obj), onChange);

    public void OnAdd(T obj, bool isInInitialList) => onAdd?.Invoke(obj, isInInitialList);

    public void OnUpdate(T oldObj, T newObj) => onUpdate?.Invoke(oldObj, newObj);

    public void OnDelete(T obj) => onDelete?.Invoke(obj);
}
