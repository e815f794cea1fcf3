using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Informers;
using k8s.Models;

namespace IncidentResponder.Operator.Tests.Unit;

/// <summary>What detection gets of the node OOM events: the projection of each Event, and the bounded recent window.</summary>
public sealed class NodeOomWindowTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static Corev1Event Event(string name, string node, DateTimeOffset at, string message = "Memory cgroup out of memory: Killed process 1 (java)") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", ResourceVersion = "7" },
        InvolvedObject = new V1ObjectReference { Kind = "Node", Name = node, Uid = node },
        Reason = "OOMKilling",
        Message = message,
        Source = new V1EventSource { Component = "kernel-monitor", Host = node },
        FirstTimestamp = at.AddMinutes(-5).UtcDateTime,
        LastTimestamp = at.UtcDateTime,
    };

    private static NodeOomWindow WindowOf(params Corev1Event[] events)
    {
        var store = new Store<CachedNodeOomEvent>();
        store.AddIndexer(CachedNodeOomEvent.ByNode, CachedNodeOomEvent.NodeIndex);
        foreach (var e in events)
        {
            store.Upsert(CachedNodeOomEvent.Project(e));
        }

        return new NodeOomWindow([new StoreOnly(store)]);
    }

    [Fact]
    public void An_event_is_projected_to_its_node_its_latest_occurrence_and_the_kernel_line()
    {
        var cached = CachedNodeOomEvent.Project(Event("node-1.abc", "node-1", Now));

        Assert.Equal(("default", "node-1.abc", "7"), (cached.Namespace, cached.Name, cached.ResourceVersion));
        Assert.Equal(("node-1", Now, "Memory cgroup out of memory: Killed process 1 (java)"), (cached.Event.Node, cached.Event.Time, cached.Event.Message));
    }

    [Fact]
    public void An_overlong_message_is_cut()
    {
        var cached = CachedNodeOomEvent.Project(Event("e", "node-1", Now, new string('x', 10_000)));

        Assert.Equal(CachedNodeOomEvent.MaxMessageLength, cached.Event.Message.Length);
    }

    [Fact]
    public void Only_recent_events_of_the_asked_nodes_are_returned()
    {
        var window = WindowOf(
            Event("recent", "node-1", Now.AddSeconds(-1)),
            Event("old", "node-1", Now.AddMinutes(-3)),
            Event("elsewhere", "node-2", Now));

        var recent = window.Recent(["node-1", null, "node-1"], Now.AddMinutes(-1));

        Assert.Equal([Now.AddSeconds(-1)], recent.Select(e => e.Time));
    }

    [Fact]
    public void A_node_that_ooms_all_the_time_yields_only_its_newest_events()
    {
        var window = WindowOf([.. Enumerable.Range(0, 100).Select(i => Event($"e{i}", "node-1", Now.AddSeconds(-i)))]);

        var recent = window.Recent(["node-1"], Now.AddHours(-1));

        Assert.Equal(NodeOomWindow.MaxPerNode, recent.Count);
        Assert.Equal(Now, recent[0].Time);
        Assert.Equal(Now.AddSeconds(-(NodeOomWindow.MaxPerNode - 1)), recent.Min(e => e.Time));
    }

    [Fact]
    public void Without_an_informer_there_are_no_events() =>
        Assert.Empty(NodeOomWindow.None.Recent(["node-1"], DateTimeOffset.MinValue));

    /// <summary>An informer that is only its store: the window reads nothing else.</summary>
    private sealed class StoreOnly(Store<CachedNodeOomEvent> store) : IInformer<CachedNodeOomEvent>
    {
        public string Resource => "events";

        public IReadOnlyStore<CachedNodeOomEvent> Store => store;

        public bool HasSynced => true;

        public Task WaitForSyncAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public IDisposable AddEventHandler(IInformerEventHandler<CachedNodeOomEvent> handler) => throw new NotSupportedException();
    }
}
