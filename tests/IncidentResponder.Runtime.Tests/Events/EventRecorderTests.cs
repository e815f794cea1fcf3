using IncidentResponder.Runtime.Events;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace IncidentResponder.Runtime.Tests.Events;

public sealed class EventRecorderTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly RecordingSink _sink = new();
    private readonly V1ObjectReference _regarding = EventRecorder.Reference("apps/v1", "Deployment", new V1ObjectMeta { Name = "web", NamespaceProperty = "shop", Uid = "u1" });

    private EventRecorder Recorder => new(_sink, "incident-responder", "pod-0", _clock, NullLogger.Instance);

    [Fact]
    public async Task First_occurrence_creates_an_event_with_reporting_fields()
    {
        await Recorder.RecordAsync(_regarding, EventType.Warning, "CrashLooping", "Detect", "container app restarted 5 times", TestContext.Current.CancellationToken);

        var ev = Assert.Single(_sink.Created);
        Assert.Equal(("shop", "web.", "incident-responder", "pod-0"), (ev.Metadata.NamespaceProperty, ev.Metadata.GenerateName, ev.ReportingController, ev.ReportingInstance));
        Assert.Equal(("Warning", "CrashLooping", "Detect"), (ev.Type, ev.Reason, ev.Action));
        Assert.Same(_regarding, ev.Regarding);
    }

    [Fact]
    public async Task Repeats_within_the_window_become_a_series_and_later_ones_a_new_event()
    {
        var recorder = Recorder;
        for (var i = 0; i < 3; i++)
        {
            await recorder.RecordAsync(_regarding, EventType.Warning, "CrashLooping", "Detect", "same", TestContext.Current.CancellationToken);
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Single(_sink.Created);
        Assert.Equal(2, _sink.Patches.Count);
        Assert.Contains("\"count\":3", _sink.Patches[^1].Patch, StringComparison.Ordinal);
        Assert.Contains("\"lastObservedTime\":\"2026-01-01T00:02:00.000000Z\"", _sink.Patches[^1].Patch, StringComparison.Ordinal);

        await recorder.RecordAsync(_regarding, EventType.Warning, "CrashLooping", "Detect", "different note", TestContext.Current.CancellationToken);
        _clock.Advance(EventRecorder.SeriesWindow);
        await recorder.RecordAsync(_regarding, EventType.Warning, "CrashLooping", "Detect", "same", TestContext.Current.CancellationToken);
        Assert.Equal(3, _sink.Created.Count);
    }

    [Fact]
    public async Task A_failing_sink_does_not_throw()
    {
        _sink.Fail = true;

        await Recorder.RecordAsync(_regarding, EventType.Normal, "Mitigated", "Rollback", "ok", TestContext.Current.CancellationToken);

        Assert.Empty(_sink.Created);
    }

    private sealed class RecordingSink : IEventSink
    {
        public List<Eventsv1Event> Created { get; } = [];

        public List<(string Name, string Patch)> Patches { get; } = [];

        public bool Fail { get; set; }

        public Task<Eventsv1Event> CreateAsync(Eventsv1Event ev, CancellationToken cancellationToken)
        {
            if (Fail)
            {
                throw new HttpRequestException("down");
            }

            Created.Add(ev);
            var stored = ev with { Metadata = ev.Metadata with { Name = ev.Metadata.GenerateName + Created.Count } };
            return Task.FromResult(stored);
        }

        public Task PatchAsync(string ns, string name, string mergePatchJson, CancellationToken cancellationToken)
        {
            Patches.Add((name, mergePatchJson));
            return Task.CompletedTask;
        }
    }
}
