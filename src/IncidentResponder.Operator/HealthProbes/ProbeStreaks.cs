using System.Collections.Concurrent;
using IncidentResponder.Core.Probes;

namespace IncidentResponder.Operator.HealthProbes;

/// <summary>
/// Each policy probe's streak per Deployment, in memory (a restart only restarts the count), shared by detection,
/// which writes it, and incident verification, which asks whether a probe still fails on a target.
/// </summary>
public sealed class ProbeStreaks
{
    private readonly ConcurrentDictionary<(string Namespace, string Deployment, string Probe), Entry> entries = new();

    public sealed record Entry(ProbeStreak Streak, DateTimeOffset LastRun);

    public Entry? Get(string ns, string deployment, string probe) => entries.GetValueOrDefault((ns, deployment, probe));

    public void Set(string ns, string deployment, string probe, Entry entry) => entries[(ns, deployment, probe)] = entry;

    public bool AnyFailing(string ns, string deployment) =>
        entries.Any(e => e.Key.Namespace == ns && e.Key.Deployment == deployment && e.Value.Streak.Failing);

    /// <summary>Drops the streaks of a Deployment that is gone, or of probes its policy no longer lists.</summary>
    public void Retain(string ns, string deployment, IReadOnlyCollection<string> probes)
    {
        foreach (var key in entries.Keys.Where(k => k.Namespace == ns && k.Deployment == deployment && !probes.Contains(k.Probe)))
        {
            entries.TryRemove(key, out _);
        }
    }
}

/// <summary>What probing shares across features: the runner (API client and egress-checked client) and the streaks.</summary>
public sealed record Probing(ProbeRunner Runner, ProbeStreaks Streaks);
