using IncidentResponder.Core.Observations;

namespace IncidentResponder.Core.Exhaustion;

/// <summary>Where a pod runs and its UID: what a node-level OOM event can be matched by. Projected by the shell.</summary>
public sealed record PodPlacement(string Pod, string Uid, string? Node);

/// <summary>A node OOM event matched to one pod of the target, and how.</summary>
public sealed record NodeOomMatch(string Pod, DateTimeOffset Time, string How);

/// <summary>
/// Matches node OOM events to the target's pods: by the pod name a monitor wrote, else by the pod UID in the
/// memory-cgroup path, else by node and time: a container of a pod on that node terminated with exit code 137
/// (or OOMKilled) within the tolerance of the event. The kernel's plain line names only a process, so time is the
/// fallback that still ties a kill to a pod.
/// </summary>
public static class NodeOomCorrelator
{
    public static IReadOnlyList<NodeOomMatch> Correlate(
        string @namespace,
        IEnumerable<NodeOomEvent> events,
        IReadOnlyList<PodObservation> pods,
        IReadOnlyList<PodPlacement> placements,
        TimeSpan tolerance)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(placements);
        var matches = new List<NodeOomMatch>();
        foreach (var oom in events)
        {
            if (NodeOomMessage.Parse(oom.Message) is not { } report)
            {
                continue;
            }

            var match = ByName(@namespace, report, pods) ?? ByUid(report, placements) ?? ByNodeAndTime(oom, pods, placements, tolerance);
            if (match is { } found)
            {
                matches.Add(new NodeOomMatch(found.Pod, oom.Time, found.How));
            }
        }

        return [.. matches.OrderBy(m => m.Pod, StringComparer.Ordinal).ThenBy(m => m.Time)];
    }

    private static (string Pod, string How)? ByName(string @namespace, OomKillReport report, IReadOnlyList<PodObservation> pods) =>
        report.PodName is { } name && (report.PodNamespace is null || report.PodNamespace == @namespace) && pods.Any(p => p.Name == name)
            ? (name, "pod named in the event")
            : null;

    private static (string Pod, string How)? ByUid(OomKillReport report, IReadOnlyList<PodPlacement> placements) =>
        report.PodUid is { } uid && placements.FirstOrDefault(p => string.Equals(p.Uid, uid, StringComparison.OrdinalIgnoreCase)) is { } placement
            ? (placement.Pod, "pod UID in the memory cgroup")
            : null;

    private static (string Pod, string How)? ByNodeAndTime(
        NodeOomEvent oom, IReadOnlyList<PodObservation> pods, IReadOnlyList<PodPlacement> placements, TimeSpan tolerance)
    {
        var onNode = placements.Where(p => p.Node == oom.Node).Select(p => p.Pod).ToHashSet(StringComparer.Ordinal);
        var candidates = pods
            .Where(p => onNode.Contains(p.Name))
            .Where(p => p.Containers.Any(c => c.LastTerminatedAt is { } at
                && (c.LastTerminatedExitCode == 137 || c.LastTerminatedReason == "OOMKilled")
                && (at - oom.Time).Duration() <= tolerance))
            .Select(p => p.Name)
            .ToList();

        // Two pods killed at the same moment on one node cannot be told apart: claim neither rather than guess.
        return candidates.Count == 1 ? (candidates[0], $"container exit 137 on node {oom.Node} at the event's time") : null;
    }
}
