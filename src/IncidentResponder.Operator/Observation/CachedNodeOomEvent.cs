using IncidentResponder.Core.Exhaustion;
using IncidentResponder.Runtime.Informers;
using k8s.Models;

namespace IncidentResponder.Operator.Observation;

/// <summary>
/// What the informer keeps of a Node's <c>OOMKilling</c> Event (node-problem-detector's kernel monitor): the node,
/// when, and the kernel's line. Everything else of the Event (series, source, managed fields) is dropped on arrival.
/// </summary>
public sealed record CachedNodeOomEvent(string? Namespace, string Name, string? ResourceVersion, NodeOomEvent Event) : ICachedObject
{
    /// <summary>Events filed by the node they report on.</summary>
    public const string ByNode = "node";

    /// <summary>
    /// Kernel OOM reports are a few hundred characters (the oom-kill summary plus the "Killed process" line); a longer
    /// message is cut so one odd monitor cannot make the cache grow.
    /// </summary>
    public const int MaxMessageLength = 2048;

    public IReadOnlyList<OwnerRef> OwnerReferences => [];

    public static IEnumerable<string> NodeIndex(CachedNodeOomEvent cached) => [cached.Event.Node];

    public static CachedNodeOomEvent Project(Corev1Event source)
    {
        var meta = source.Metadata;
        var message = source.Message ?? string.Empty;
        // The latest occurrence: a repeated kill bumps lastTimestamp (core/v1 series) or is a new event (events.k8s.io).
        var at = source.LastTimestamp ?? source.EventTime ?? source.FirstTimestamp ?? meta.CreationTimestamp;
        return new CachedNodeOomEvent(meta.NamespaceProperty, meta.Name, meta.ResourceVersion, new NodeOomEvent(
            source.InvolvedObject?.Name ?? source.Source?.Host ?? string.Empty,
            at is { } time ? new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)) : DateTimeOffset.UnixEpoch,
            message.Length > MaxMessageLength ? message[..MaxMessageLength] : message));
    }
}
