namespace IncidentResponder.Runtime.Controllers;

/// <summary>
/// Which informer events of a watched kind are worth a reconcile (controller-runtime's predicate.Funcs). A missing
/// function lets that kind of event through. Several predicates on one watch must all agree.
/// </summary>
public sealed record EventPredicate<T>(Func<T, bool>? Create = null, Func<T, T, bool>? Update = null, Func<T, bool>? Delete = null)
{
    public bool OnCreate(T obj) => Create?.Invoke(obj) ?? true;

    public bool OnUpdate(T oldObj, T newObj) => Update?.Invoke(oldObj, newObj) ?? true;

    public bool OnDelete(T obj) => Delete?.Invoke(obj) ?? true;
}
