using IncidentResponder.Core.Evidence;
using k8s;
using k8s.Models;

namespace IncidentResponder.Operator.Evidence;

/// <summary>
/// <c>kubectl get events</c> about the target: core/v1 Events whose involvedObject is the Deployment, one of its
/// ReplicaSets, or a pod of one (matched by the ReplicaSet's name prefix, so pods already deleted by a rollback still
/// count). The operator's own Events are left out: the incident's timeline already tells that part.
/// </summary>
public sealed class TargetEventReader(IKubernetes client, string ownController)
{
    public async Task<IReadOnlyList<EventSummary>> ReadAsync(string ns, string deployment, IReadOnlyCollection<string> replicaSets, CancellationToken cancellationToken)
    {
        var list = await client.CoreV1.ListNamespacedEventAsync(ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. list.Items.Where(e => About(e.InvolvedObject, deployment, replicaSets) && e.ReportingComponent != ownController && e.Source?.Component != ownController)
            .Select(Summary)];
    }

    private static bool About(V1ObjectReference? regarding, string deployment, IReadOnlyCollection<string> replicaSets) => regarding switch
    {
        { Kind: "Deployment", Name: var name } => name == deployment,
        { Kind: "ReplicaSet", Name: var name } => replicaSets.Contains(name),
        { Kind: "Pod", Name: { } name } => replicaSets.Any(rs => name.StartsWith(rs + "-", StringComparison.Ordinal)),
        _ => false,
    };

    private static EventSummary Summary(Corev1Event e)
    {
        var first = Utc(e.FirstTimestamp) ?? Utc(e.EventTime);
        var last = Utc(e.Series?.LastObservedTime) ?? Utc(e.LastTimestamp) ?? first;
        return new EventSummary(first, last, e.Type ?? "Normal", e.Reason ?? string.Empty, e.InvolvedObject?.Kind ?? string.Empty,
            e.InvolvedObject?.Name ?? string.Empty, e.Series?.Count ?? e.Count ?? 1, e.Message ?? string.Empty);
    }

    private static DateTimeOffset? Utc(DateTime? time) => time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
}
