using System.Globalization;
using IncidentResponder.Simulator.Storage;
using k8s.Models;

namespace IncidentResponder.Simulator.Controllers;

/// <summary>
/// Writes core/v1 Events the way client-go's recorder does: named <c>&lt;involvedObject.name&gt;.&lt;hex nanos&gt;</c>,
/// in the involved object's namespace (or <c>default</c> for cluster-scoped objects), and a repeat of the same
/// event (same object, type, reason, message and source) increments <c>count</c> and <c>lastTimestamp</c>.
/// </summary>
public sealed class EventRecorder(IClusterStore store)
{
    private readonly Dictionary<string, (string Namespace, string Name)> _recent = new(StringComparer.Ordinal);
    private long _lastNanos;

    public static string AggregationKey(EventSpec spec)
    {
        var o = spec.InvolvedObject;
        return string.Join('\u001f', o.Kind, o.NamespaceProperty, o.Name, o.Uid, o.FieldPath, spec.Type, spec.Reason, spec.Message, spec.Component, spec.Host);
    }

    public static Corev1Event NewEvent(EventSpec spec, string name)
    {
        var at = KubeObjects.Seconds(spec.Timestamp);
        return new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = EventNamespace(spec) },
            InvolvedObject = spec.InvolvedObject,
            Reason = spec.Reason,
            Message = spec.Message,
            Type = spec.Type,
            Source = new V1EventSource { Component = spec.Component, Host = spec.Host },
            FirstTimestamp = at,
            LastTimestamp = at,
            Count = 1,
            ReportingComponent = spec.Component,
            ReportingInstance = spec.Host ?? "",
        };
    }

    /// <summary>Events about cluster-scoped objects live in <c>default</c>, as client-go's recorder places them.</summary>
    public static string EventNamespace(EventSpec spec) =>
        string.IsNullOrEmpty(spec.InvolvedObject.NamespaceProperty) ? "default" : spec.InvolvedObject.NamespaceProperty;

    public void Record(EventSpec spec)
    {
        var key = AggregationKey(spec);
        if (_recent.TryGetValue(key, out var existing) && store.Get(BuiltinResources.Events, existing.Namespace, existing.Name) is { } stored)
        {
            stored["count"] = (stored["count"]?.GetValue<int>() ?? 1) + 1;
            stored["lastTimestamp"] = KubeObjects.Seconds(spec.Timestamp).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            try
            {
                store.Update(BuiltinResources.Events, stored);
                return;
            }
            catch (StoreException)
            {
                // Deleted or changed under us (events expire, users delete them): fall through and start a new one.
            }
        }

        var name = $"{spec.InvolvedObject.Name}.{NextNanos(spec.Timestamp):x}";
        store.Create(BuiltinResources.Events, KubeObjects.ToJson(NewEvent(spec, name)));
        _recent[key] = (EventNamespace(spec), name);
        if (_recent.Count > 50_000)
        {
            _recent.Clear();
        }
    }

    /// <summary>Unix nanoseconds, strictly increasing so two events in the same tick get different names.</summary>
    private long NextNanos(DateTimeOffset at)
    {
        var nanos = (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        _lastNanos = Math.Max(nanos, _lastNanos + 1);
        return _lastNanos;
    }
}
