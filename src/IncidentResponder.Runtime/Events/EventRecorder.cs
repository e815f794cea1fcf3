using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Runtime.Events;

/// <summary>
/// Records events.k8s.io/v1 Events about objects. A repeat of the same event (same object, type, reason, action and
/// note) within <see cref="SeriesWindow"/> is not a new Event: the existing one becomes a series and its
/// series.count / lastObservedTime are patched, as client-go's events recorder does. A reconcile loop that reports
/// the same problem every few seconds therefore produces one Event with a count, not thousands.
/// Recording is best effort: a failure is logged and never fails the reconcile.
/// </summary>
public sealed class EventRecorder(IEventSink sink, string reportingController, string reportingInstance, TimeProvider timeProvider, ILogger logger)
{
    public static readonly TimeSpan SeriesWindow = TimeSpan.FromMinutes(6);
    private const int MaxTracked = 4096;

    private readonly Dictionary<EventIdentity, SeriesState> _recent = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task RecordAsync(V1ObjectReference regarding, string type, string reason, string action, string note, CancellationToken cancellationToken)
    {
        var ns = string.IsNullOrEmpty(regarding.NamespaceProperty) ? "default" : regarding.NamespaceProperty;
        var identity = new EventIdentity(regarding.Uid ?? $"{regarding.Kind}/{ns}/{regarding.Name}", type, reason, action, note);
        var now = timeProvider.GetUtcNow();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_recent.TryGetValue(identity, out var series) && now - series.LastSeen < SeriesWindow)
            {
                series.Count++;
                series.LastSeen = now;
                await sink.PatchAsync(series.Namespace, series.Name, SeriesPatch(series.Count, now), cancellationToken).ConfigureAwait(false);
                return;
            }

            var created = await sink.CreateAsync(NewEvent(regarding, ns, type, reason, action, note, now), cancellationToken).ConfigureAwait(false);
            Forget(now);
            _recent[identity] = new SeriesState(created.Metadata.NamespaceProperty ?? ns, created.Metadata.Name) { Count = 1, LastSeen = now };
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogWarning(error, "Could not record event {Reason} on {Kind} {Namespace}/{Name}", reason, regarding.Kind, ns, regarding.Name);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A reference to an object for <see cref="RecordAsync"/>.</summary>
    public static V1ObjectReference Reference(string apiVersion, string kind, V1ObjectMeta metadata) => new()
    {
        ApiVersion = apiVersion,
        Kind = kind,
        Name = metadata.Name,
        NamespaceProperty = metadata.NamespaceProperty,
        Uid = metadata.Uid,
        ResourceVersion = metadata.ResourceVersion,
    };

    private Eventsv1Event NewEvent(V1ObjectReference regarding, string ns, string type, string reason, string action, string note, DateTimeOffset now) => new()
    {
        ApiVersion = "events.k8s.io/v1",
        Kind = "Event",
        Metadata = new V1ObjectMeta { GenerateName = $"{regarding.Name}.", NamespaceProperty = ns },
        Regarding = regarding,
        Type = type,
        Reason = reason,
        Action = action,
        Note = note.Length > 1024 ? note[..1024] : note,
        EventTime = now.UtcDateTime,
        ReportingController = reportingController,
        ReportingInstance = reportingInstance,
    };

    private static string SeriesPatch(int count, DateTimeOffset now) => new JsonObject
    {
        ["series"] = new JsonObject
        {
            ["count"] = count,
            ["lastObservedTime"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        },
    }.ToJsonString();

    /// <summary>Drops expired series so the cache stays bounded however many distinct events are seen.</summary>
    private void Forget(DateTimeOffset now)
    {
        if (_recent.Count < MaxTracked)
        {
            return;
        }

        foreach (var stale in _recent.Where(pair => now - pair.Value.LastSeen >= SeriesWindow).Select(pair => pair.Key).ToList())
        {
            _recent.Remove(stale);
        }

        if (_recent.Count >= MaxTracked)
        {
            _recent.Remove(_recent.MinBy(pair => pair.Value.LastSeen).Key);
        }
    }

    private readonly record struct EventIdentity(string Regarding, string Type, string Reason, string Action, string Note);

    private sealed class SeriesState(string ns, string name)
    {
        public string Namespace { get; } = ns;

        public string Name { get; } = name;

        public int Count { get; set; }

        public DateTimeOffset LastSeen { get; set; }
    }
}
