using IncidentResponder.History;

namespace IncidentResponder.Operator.Postmortems;

/// <summary>
/// The history store's copy of a post-mortem: still there after the Incident and its ConfigMap are deleted, so
/// <c>incident-responder postmortem</c> tries it after the cluster.
/// </summary>
public sealed class HistoryPostmortemSource(HistoryStore store) : IPostmortemSource
{
    public string Describe(string ns, string incident) => $"the history store's latest incident {ns}/{incident}";

    public Task<string?> FindAsync(string ns, string incident, CancellationToken cancellationToken) =>
        store.PostmortemAsync(ns, incident, cancellationToken);
}
