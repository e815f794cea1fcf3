using IncidentResponder.Runtime.Controllers;
using IncidentResponder.Runtime.Hosting;
using IncidentResponder.Runtime.Informers;
using IncidentResponder.Runtime.Metrics;
using Microsoft.Extensions.Logging.Abstractions;

namespace IncidentResponder.Runtime.Tests.Controllers;

public sealed class ControllerBuilderTests
{
    private readonly RuntimeMetrics _metrics = RuntimeMetrics.CreateIsolated();
    private readonly FakeInformer<Item> _items = new();
    private readonly FakeInformer<Item> _children = new();

    [Fact]
    public async Task For_enqueues_the_changed_object_itself()
    {
        using var controller = Builder().For(_items).Complete(Idle);

        _items.Add(new Item("ns", "a"));
        _items.Update(new Item("ns", "a"), new Item("ns", "a", Generation: 2));
        _items.Delete(new Item("ns", "b"));

        Assert.Equal([new("ns", "a"), new("ns", "b")], await DrainAsync(controller));
    }

    [Fact]
    public async Task Generation_predicate_lets_spec_changes_through_and_drops_status_writes()
    {
        using var controller = Builder().For(_items, Predicates.GenerationChanged<Item>(i => i.Generation)).Complete(Idle);

        _items.Update(new Item("ns", "status-only", Generation: 1), new Item("ns", "status-only", Generation: 1));
        _items.Update(new Item("ns", "spec", Generation: 1), new Item("ns", "spec", Generation: 2));

        Assert.Equal([new("ns", "spec")], await DrainAsync(controller));
    }

    [Fact]
    public async Task Label_and_annotation_predicates_see_only_their_own_map()
    {
        using var labels = Builder("labels").For(_items, Predicates.LabelsChanged<Item>(i => i.Labels)).Complete(Idle);
        using var annotations = Builder("annotations").For(_items, Predicates.AnnotationsChanged<Item>(i => i.Annotations)).Complete(Idle);

        _items.Update(new Item("ns", "relabelled"), new Item("ns", "relabelled", Labels: Map("app", "web")));
        _items.Update(new Item("ns", "annotated"), new Item("ns", "annotated", Annotations: Map("note", "x")));
        // An emptied map reads back as absent: no change.
        _items.Update(new Item("ns", "emptied", Labels: new Dictionary<string, string>()), new Item("ns", "emptied"));

        Assert.Equal([new("ns", "relabelled")], await DrainAsync(labels));
        Assert.Equal([new("ns", "annotated")], await DrainAsync(annotations));
    }

    [Fact]
    public async Task Predicates_on_one_watch_must_all_agree_and_creates_and_deletes_pass_update_predicates()
    {
        using var controller = Builder()
            .For(_items, Predicates.GenerationChanged<Item>(i => i.Generation), Predicates.LabelsChanged<Item>(i => i.Labels))
            .Complete(Idle);

        _items.Update(new Item("ns", "only-generation", Generation: 1), new Item("ns", "only-generation", Generation: 2));
        _items.Update(new Item("ns", "both", Generation: 1), new Item("ns", "both", Generation: 2, Labels: Map("app", "web")));
        _items.Add(new Item("ns", "created"));
        _items.Delete(new Item("ns", "deleted"));

        Assert.Equal([new("ns", "both"), new("ns", "created"), new("ns", "deleted")], await DrainAsync(controller));
    }

    [Fact]
    public async Task Owns_enqueues_the_controlling_owner_of_the_right_kind_on_both_sides_of_a_handover()
    {
        using var controller = Builder().For(_items).Owns(_children, "example.dev", "Parent").Complete(Idle);

        _children.Add(new Item("ns", "child", Owners: [Owner("Parent", "p1", controller: true)]));
        _children.Add(new Item("ns", "not-controlled", Owners: [Owner("Parent", "p2", controller: false)]));
        _children.Add(new Item("ns", "other-kind", Owners: [Owner("Stranger", "s1", controller: true)]));
        _children.Update(
            new Item("ns", "moved", Owners: [Owner("Parent", "old", controller: true)]),
            new Item("ns", "moved", Owners: [Owner("Parent", "new", controller: true)]));

        Assert.Equal([new("ns", "p1"), new("ns", "old"), new("ns", "new")], await DrainAsync(controller));
    }

    [Fact]
    public async Task Watches_maps_an_object_to_the_requests_it_should_wake()
    {
        using var controller = Builder()
            .Watches(_children, child => [new ReconcileRequest(child.Namespace, "everything-in-" + child.Namespace)])
            .Complete(Idle);

        _children.Add(new Item("team-a", "x"));

        Assert.Equal([new("team-a", "everything-in-team-a")], await DrainAsync(controller));
    }

    [Fact]
    public async Task The_worker_count_and_name_are_applied_to_the_running_controller()
    {
        var inside = 0;
        var bothInside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reconciler = new ScriptedReconciler(async (_, _, ct) =>
        {
            if (Interlocked.Increment(ref inside) == 2)
            {
                bothInside.TrySetResult();
            }

            await bothInside.Task.WaitAsync(ct);
            return ReconcileResult.Done;
        });
        using var controller = Builder("two-workers").WithWorkers(2).For(_items).Complete(reconciler);
        using var stop = new CancellationTokenSource();
        var running = controller.RunAsync(stop.Token);

        _items.Add(new Item("ns", "a"));
        _items.Add(new Item("ns", "b"));

        // With one worker the second key would wait for the first, which waits for the second: only two workers finish.
        await bothInside.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal("two-workers", controller.Name);
        Assert.Equal(2, _metrics.MaxConcurrentReconciles.WithLabels("two-workers").Value);
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public void A_controller_without_a_name_is_refused()
    {
        var builder = ControllerBuilder.ManagedBy(Manager()).For(_items);

        Assert.Throws<InvalidOperationException>(() => builder.Complete(Idle));
    }

    private static readonly IReconciler Idle = new ScriptedReconciler((_, _, _) => Task.FromResult(ReconcileResult.Done));

    private ControllerBuilder Builder(string name = "test") => ControllerBuilder.ManagedBy(Manager()).Named(name);

    private ControllerManager Manager() => new(new ManagerOptions { Health = null }, _metrics, NullLoggerFactory.Instance);

    private static async Task<List<ReconcileRequest>> DrainAsync(Controller controller)
    {
        var requests = new List<ReconcileRequest>();
        while (controller.Queue.Count > 0)
        {
            var next = await controller.Queue.GetAsync(TestContext.Current.CancellationToken);
            requests.Add(next.Item);
            controller.Queue.Done(next.Item);
        }

        return requests;
    }

    private static Dictionary<string, string> Map(string key, string value) => new() { [key] = value };

    private static OwnerRef Owner(string kind, string name, bool controller) => new("example.dev/v1", kind, name, Uid: null, controller);

    internal sealed record Item(
        string? Namespace,
        string Name,
        long Generation = 1,
        IDictionary<string, string>? Labels = null,
        IDictionary<string, string>? Annotations = null,
        IReadOnlyList<OwnerRef>? Owners = null) : ICachedObject
    {
        public string? ResourceVersion => null;

        public IReadOnlyList<OwnerRef> OwnerReferences => Owners ?? [];
    }

    /// <summary>An informer the test drives by hand: each call is delivered to every handler at once.</summary>
    private sealed class FakeInformer<T> : IInformer<T>
        where T : class, ICachedObject
    {
        private readonly List<IInformerEventHandler<T>> _handlers = [];

        public string Resource => "items";

        public IReadOnlyStore<T> Store => throw new NotSupportedException();

        public bool HasSynced => true;

        public Task WaitForSyncAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public IDisposable AddEventHandler(IInformerEventHandler<T> handler)
        {
            _handlers.Add(handler);
            return new Unsubscribe(() => _handlers.Remove(handler));
        }

        public void Add(T obj) => _handlers.ForEach(h => h.OnAdd(obj, isInInitialList: false));

        public void Update(T oldObj, T newObj) => _handlers.ForEach(h => h.OnUpdate(oldObj, newObj));

        public void Delete(T obj) => _handlers.ForEach(h => h.OnDelete(obj));

        private sealed class Unsubscribe(Action action) : IDisposable
        {
            public void Dispose() => action();
        }
    }
}
