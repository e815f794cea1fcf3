using System.Collections.Concurrent;
using IncidentResponder.Runtime.Informers;
using IncidentResponder.Runtime.Metrics;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace IncidentResponder.Runtime.Tests.Informers;

public sealed class InformerTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _clock = new();
    private readonly FakePodSource _source = new();
    private readonly RuntimeMetrics _metrics = RuntimeMetrics.CreateIsolated();
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _events = new();
    private readonly Informer<V1Pod, PodSummary> _informer;
    private Task? _running;

    public InformerTests()
    {
        _informer = new Informer<V1Pod, PodSummary>(
            _source,
            PodSummary.Projection(new StringPool()),
            new InformerOptions { StallTimeout = TimeSpan.FromSeconds(60), BackoffJitter = 0, InitialBackoff = TimeSpan.FromSeconds(1), MinWatchTimeout = TimeSpan.FromMinutes(5) },
            _metrics,
            NullLogger.Instance,
            _clock,
            new Random(7));
        _informer.AddIndexer(Indexers.ByControllerOwner, Indexers.ControllerOwner);
        _informer.AddEventHandler(new InformerEventHandler<PodSummary>(
            (pod, initial) => _events.Enqueue($"add {pod.Name}{(initial ? " initial" : string.Empty)}"),
            (oldPod, newPod) => _events.Enqueue($"update {newPod.Name} {oldPod.ResourceVersion}->{newPod.ResourceVersion}"),
            pod => _events.Enqueue($"delete {pod.Name}")));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null)
        {
            await _running;
        }

        _stop.Dispose();
    }

    [Fact]
    public async Task Initial_sync_lists_in_pages_of_500_then_watches_from_the_list_version()
    {
        for (var i = 0; i < 1201; i++)
        {
            _source.Objects[$"p{i:D4}"] = FakePodSource.Pod($"p{i:D4}", "1");
        }

        await StartAndSyncAsync();

        Assert.Equal(1201, _informer.Store.Count);
        Assert.Equal([null, "500", "1000"], _source.Lists.Select(l => l.Continue));
        Assert.All(_source.Lists, l => Assert.Equal(500, l.Limit));
        var watch = Assert.Single(_source.Watches);
        Assert.Equal("100", watch.ResourceVersion);
        Assert.InRange(watch.TimeoutSeconds, 300, 599);
        Assert.Equal(1201, _events.Count(e => e.EndsWith(" initial", StringComparison.Ordinal)));
        Assert.Equal(1, _metrics.Relists.WithLabels("pods", "initial").Value);
    }

    [Fact]
    public async Task Watch_events_update_the_store_and_bookmarks_only_move_the_resource_version()
    {
        await StartAndSyncAsync();

        _source.Send(WatchEventType.Added, FakePodSource.Pod("a", "101"));
        _source.Send(WatchEventType.Modified, FakePodSource.Pod("a", "102", phase: "Failed"));
        _source.Send(WatchEventType.Bookmark, FakePodSource.Bookmark("150"));
        await Eventually.TrueAsync(() => _informer.LastResourceVersion == "150");

        Assert.Equal("Failed", _informer.Store.Get(new ObjectKey("ns", "a"))!.Phase);
        Assert.Equal(["add a", "update a 101->102"], _events);

        _source.Send(WatchEventType.Deleted, FakePodSource.Pod("a", "151"));
        // The store drops the object before the handler hears of it: wait for the handler, then look at the store.
        await Eventually.TrueAsync(() => _events.Count == 3);
        Assert.Equal("delete a", _events.Last());
        Assert.Equal(0, _informer.Store.Count);
    }

    [Fact]
    public async Task Expired_watch_relists_and_delivers_vanished_objects_as_deletes()
    {
        _source.Objects["keep"] = FakePodSource.Pod("keep", "1");
        _source.Objects["change"] = FakePodSource.Pod("change", "1");
        _source.Objects["gone"] = FakePodSource.Pod("gone", "1");
        await StartAndSyncAsync();
        _events.Clear();

        // While the watch was away: one deleted, one changed, one created.
        _source.Objects.Remove("gone");
        _source.Objects["change"] = FakePodSource.Pod("change", "180");
        _source.Objects["new"] = FakePodSource.Pod("new", "190");
        _source.ListResourceVersion = "200";
        _source.SendError(new KubernetesException(new V1Status { Code = 410, Reason = "Expired", Message = "too old resource version" }));

        await Eventually.TrueAsync(() => _source.Watches.Count == 2);
        Assert.Equal("200", _source.Watches.Last().ResourceVersion);
        Assert.Equal(new[] { "change", "keep", "new" }, _informer.Store.List().Select(p => p.Name).Order());
        Assert.Equal(["add new", "update change 1->180", "delete gone"], _events);
        Assert.Equal(1, _metrics.Relists.WithLabels("pods", "expired").Value);
        Assert.Equal(1, _metrics.WatchRestarts.WithLabels("pods", "expired").Value);
    }

    [Fact]
    public async Task A_silent_watch_is_replaced_by_the_watchdog_from_the_last_resource_version()
    {
        await StartAndSyncAsync();
        _source.Send(WatchEventType.Bookmark, FakePodSource.Bookmark("120"));
        await Eventually.TrueAsync(() => _informer.LastResourceVersion == "120");

        _clock.Advance(TimeSpan.FromSeconds(45));
        Assert.Single(_source.Watches);

        _clock.Advance(TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => _source.Watches.Count == 2);
        Assert.Equal("120", _source.Watches.Last().ResourceVersion);
        Assert.Equal(1, _metrics.WatchRestarts.WithLabels("pods", "stalled").Value);
        Assert.Single(_source.Lists);
    }

    [Fact]
    public async Task A_server_close_resumes_at_once_without_relisting()
    {
        await StartAndSyncAsync();
        _source.Send(WatchEventType.Added, FakePodSource.Pod("a", "130"));
        await Eventually.TrueAsync(() => _informer.LastResourceVersion == "130");

        _source.Close();

        await Eventually.TrueAsync(() => _source.Watches.Count == 2);
        Assert.Equal("130", _source.Watches.Last().ResourceVersion);
        Assert.Single(_source.Lists);
    }

    [Fact]
    public async Task A_watch_closed_at_once_without_events_backs_off_instead_of_hammering_the_server()
    {
        await StartAndSyncAsync();

        // KubernetesClient reports an empty watch body as HttpRequestException over EndOfStreamException.
        _source.Fail(new HttpRequestException("Error while copying content to a stream.", new EndOfStreamException()));
        await Eventually.TrueAsync(() => _metrics.WatchRestarts.WithLabels("pods", "closed").Value == 1);

        _clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Single(_source.Watches);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually.TrueAsync(() => _source.Watches.Count == 2);
        Assert.Equal(0, _metrics.WatchRestarts.WithLabels("pods", "error").Value);
        Assert.Single(_source.Lists);
    }

    [Fact]
    public async Task A_transport_error_backs_off_then_resumes_from_the_last_resource_version()
    {
        await StartAndSyncAsync();
        _source.Fail(new IOException("connection reset"));
        await Eventually.TrueAsync(() => _metrics.WatchRestarts.WithLabels("pods", "error").Value == 1);

        _clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Single(_source.Watches);
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        await Eventually.TrueAsync(() => _source.Watches.Count == 2);
        Assert.Equal("100", _source.Watches.Last().ResourceVersion);
    }

    [Fact]
    public async Task A_failed_list_is_retried_after_backoff_and_sync_waits_for_it()
    {
        _source.FailNextList = new HttpRequestException("refused");
        _running = _informer.RunAsync(_stop.Token);
        await Eventually.TrueAsync(() => _metrics.WatchRestarts.WithLabels("pods", "list_error").Value == 1);
        Assert.False(_informer.HasSynced);

        _clock.Advance(TimeSpan.FromSeconds(1));
        await _informer.WaitForSyncAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(2, _source.Lists.Count);
    }

    [Fact]
    public async Task Owner_index_finds_pods_of_a_replica_set()
    {
        _source.Objects["a"] = FakePodSource.Pod("a", "1", owner: "rs1");
        _source.Objects["b"] = FakePodSource.Pod("b", "1", owner: "rs2");
        await StartAndSyncAsync();
        _source.Send(WatchEventType.Added, FakePodSource.Pod("c", "101", owner: "rs1"));
        _source.Send(WatchEventType.Modified, FakePodSource.Pod("b", "102", owner: "rs1"));
        await Eventually.TrueAsync(() => _informer.LastResourceVersion == "102");

        var pods = _informer.Store.ByIndex(Indexers.ByControllerOwner, Indexers.OwnerIndexValue("ns", "ReplicaSet", "rs1"));
        Assert.Equal(["a", "b", "c"], pods.Select(p => p.Name).Order());
        Assert.Empty(_informer.Store.ByIndex(Indexers.ByControllerOwner, Indexers.OwnerIndexValue("ns", "ReplicaSet", "rs2")));
    }

    [Fact]
    public async Task A_late_handler_first_receives_the_existing_objects()
    {
        _source.Objects["a"] = FakePodSource.Pod("a", "1");
        await StartAndSyncAsync();
        var seen = new List<string>();

        using var subscription = _informer.AddEventHandler(InformerEventHandler<PodSummary>.ForAll(p => seen.Add(p.Name)));

        Assert.Equal(["a"], seen);
    }

    private async Task StartAndSyncAsync()
    {
        _running = _informer.RunAsync(_stop.Token);
        await _informer.WaitForSyncAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await Eventually.TrueAsync(() => !_source.Watches.IsEmpty);
    }
}
