using System.Collections.Concurrent;

namespace IncidentResponder.Operator.MetricsAnalysis;

/// <summary>
/// Since when each check has held on each Deployment's serving revision: the memory the core's hold rule needs between
/// two polls. Kept in memory only: after a restart a hold starts again, which can delay an incident by one 'for' but
/// never opens one that the record does not justify.
/// </summary>
public sealed class MetricHolds
{
    private readonly ConcurrentDictionary<(string Namespace, string Deployment, string Check, long? Revision), DateTimeOffset> _since = new();

    public DateTimeOffset? Get(string ns, string deployment, string check, long? revision) =>
        _since.TryGetValue((ns, deployment, check, revision), out var since) ? since : null;

    public void Set(string ns, string deployment, string check, long? revision, DateTimeOffset? since)
    {
        var key = (ns, deployment, check, revision);
        if (since is { } value)
        {
            _since[key] = value;
        }
        else
        {
            _since.TryRemove(key, out _);
        }
    }

    /// <summary>Drops every hold of a Deployment (deleted, or no longer under a policy with checks).</summary>
    public void Forget(string ns, string deployment)
    {
        foreach (var key in _since.Keys.Where(k => k.Namespace == ns && k.Deployment == deployment))
        {
            _since.TryRemove(key, out _);
        }
    }
}
