using IncidentResponder.Runtime.Hosting;
using IncidentResponder.Runtime.Informers;

namespace IncidentResponder.Runtime.Controllers;

/// <summary>
/// Puts one controller together and hands it to its manager, as controller-runtime's
/// <c>NewControllerManagedBy(mgr).For(...).Owns(...).Watches(..., predicate).Complete(r)</c>:
/// <code>
/// ControllerBuilder.ManagedBy(manager).Named("evidence").WithWorkers(2)
///     .For(cache.Incidents.Members)
///     .Complete(reconciler);
/// </code>
/// Watches are connected when <see cref="Complete"/> creates the controller; each takes the informers of one kind (one
/// per watched namespace, or one for all) and, optionally, predicates that must all agree.
/// </summary>
public sealed class ControllerBuilder
{
    private readonly ControllerManager _manager;
    private readonly List<Action<Controller>> _watches = [];
    private string? _name;
    private int _workers = 1;
    private TimeSpan? _reconcileTimeout;

    private ControllerBuilder(ControllerManager manager) => _manager = manager;

    public static ControllerBuilder ManagedBy(ControllerManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        return new ControllerBuilder(manager);
    }

    /// <summary>The controller's name in logs and metrics (required; there is no kind to derive it from).</summary>
    public ControllerBuilder Named(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _name = name;
        return this;
    }

    /// <summary>How many keys are reconciled at once (never the same key twice); 1 unless set.</summary>
    public ControllerBuilder WithWorkers(int workers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        _workers = workers;
        return this;
    }

    public ControllerBuilder WithReconcileTimeout(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _reconcileTimeout = timeout;
        return this;
    }

    /// <summary>The primary kind: each change enqueues the object's own key.</summary>
    public ControllerBuilder For<T>(IEnumerable<IInformer<T>> informers, params IReadOnlyList<EventPredicate<T>> predicates)
        where T : class, ICachedObject =>
        Each(informers, (controller, informer) => controller.For(informer, predicates));

    public ControllerBuilder For<T>(IInformer<T> informer, params IReadOnlyList<EventPredicate<T>> predicates)
        where T : class, ICachedObject =>
        For([informer], predicates);

    /// <summary>A child kind: each change enqueues the child's controlling owner of <paramref name="ownerGroup"/>/<paramref name="ownerKind"/>.</summary>
    public ControllerBuilder Owns<T>(IEnumerable<IInformer<T>> informers, string ownerGroup, string ownerKind, params IReadOnlyList<EventPredicate<T>> predicates)
        where T : class, ICachedObject =>
        Each(informers, (controller, informer) => controller.Owns(informer, ownerGroup, ownerKind, predicates));

    public ControllerBuilder Owns<T>(IInformer<T> informer, string ownerGroup, string ownerKind, params IReadOnlyList<EventPredicate<T>> predicates)
        where T : class, ICachedObject =>
        Owns([informer], ownerGroup, ownerKind, predicates);

    /// <summary>Any other kind: each change enqueues what <paramref name="map"/> returns for it.</summary>
    public ControllerBuilder Watches<T>(IEnumerable<IInformer<T>> informers, Func<T, IEnumerable<ReconcileRequest>> map, params IReadOnlyList<EventPredicate<T>> predicates)
        where T : class, ICachedObject =>
        Each(informers, (controller, informer) => controller.Watches(informer, map, predicates));

    public ControllerBuilder Watches<T>(IInformer<T> informer, Func<T, IEnumerable<ReconcileRequest>> map, params IReadOnlyList<EventPredicate<T>> predicates)
        where T : class, ICachedObject =>
        Watches([informer], map, predicates);

    /// <summary>
    /// A handler of the feature's own that enqueues through the given action, for a watch that must do something before
    /// the key is queued (e.g. keep a copy of what it saw).
    /// </summary>
    public ControllerBuilder Watches<T>(IEnumerable<IInformer<T>> informers, Func<Action<ReconcileRequest>, IInformerEventHandler<T>> handler)
        where T : class, ICachedObject
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Each(informers, (controller, informer) => informer.AddEventHandler(handler(controller.Enqueue)));
    }

    /// <summary>Creates the controller, connects its watches and adds it to the manager, which runs it.</summary>
    public Controller Complete(IReconciler reconciler)
    {
        ArgumentNullException.ThrowIfNull(reconciler);
        var name = _name ?? throw new InvalidOperationException("a controller needs a name: call Named(...) before Complete");
        var options = new ControllerOptions { Name = name, MaxConcurrentReconciles = _workers };
        if (_reconcileTimeout is { } timeout)
        {
            options = options with { ReconcileTimeout = timeout };
        }

        var controller = new Controller(options, reconciler, _manager.Metrics, _manager.Loggers.CreateLogger($"IncidentResponder.Controller.{name}"), _manager.Time);
        foreach (var watch in _watches)
        {
            watch(controller);
        }

        _manager.Add(controller);
        return controller;
    }

    private ControllerBuilder Each<T>(IEnumerable<IInformer<T>> informers, Func<Controller, IInformer<T>, IDisposable> connect)
        where T : class, ICachedObject
    {
        ArgumentNullException.ThrowIfNull(informers);
        var all = informers.ToList();
        _watches.Add(controller => all.ForEach(informer => connect(controller, informer)));
        return this;
    }
}
