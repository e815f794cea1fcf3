using IncidentResponder.Core.Exhaustion;
using IncidentResponder.Runtime.Informers;

namespace IncidentResponder.Operator.Observation;

/// <summary>
/// The recent <c>OOMKilling</c> events of given nodes, read from the node-event informer's cache for one target's
/// detection. The cache holds only what the field selector let through (and the API server expires Events after its
/// --event-ttl, one hour by default); each read is bounded again by age and by count per node, so a node that OOMs all
/// day costs a detection no more than <see cref="MaxPerNode"/> events.
/// </summary>
public sealed class NodeOomWindow(IReadOnlyList<IInformer<CachedNodeOomEvent>> informers)
{
    /// <summary>More kills than this on one node within the window add nothing: the pods are OOMing either way.</summary>
    public const int MaxPerNode = 32;

    /// <summary>No node events (a window without an informer, e.g. in unit tests of detection).</summary>
    public static NodeOomWindow None { get; } = new([]);

    public IReadOnlyList<IInformer<CachedNodeOomEvent>> Informers => informers;

    /// <summary>Events of <paramref name="nodes"/> that happened at or after <paramref name="since"/>, newest first per node.</summary>
    public IReadOnlyList<NodeOomEvent> Recent(IEnumerable<string?> nodes, DateTimeOffset since)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (informers.Count == 0)
        {
            return [];
        }

        return [.. nodes.OfType<string>().Distinct(StringComparer.Ordinal).SelectMany(node => informers
            .SelectMany(i => i.Store.ByIndex(CachedNodeOomEvent.ByNode, node))
            .Select(cached => cached.Event)
            .Where(e => e.Time >= since)
            .OrderByDescending(e => e.Time)
            .Take(MaxPerNode))];
    }
}
