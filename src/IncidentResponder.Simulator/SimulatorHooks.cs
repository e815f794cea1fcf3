using System.Collections.Concurrent;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator;

/// <summary>One request as the audit log records it (what RBAC tests check the operator did).</summary>
/// <remarks>
/// StatusCode is <see cref="ConnectionReset"/> when chaos reset the connection and nothing was done; User is the user
/// of the request's bearer token (<see cref="SimulatorOptions.Users"/>) when it is listed, else null.
/// </remarks>
public sealed record AuditRecord(
    DateTimeOffset Time, string Verb, string ApiGroup, string ApiVersion, string? Resource, string? Subresource,
    string? Namespace, string? Name, string? UserAgent, int StatusCode, string Path, string? User = null)
{
    /// <summary>No HTTP status: the connection was reset before the request was served (the response's default 200 would lie).</summary>
    public const int ConnectionReset = 0;
}

/// <summary>
/// A fault to inject on matching requests: an error status (409/429/5xx...), extra latency, or both.
/// Null matchers match anything. <see cref="Times"/> limits how many requests it hits (null: until removed).
/// </summary>
public sealed record FaultRule
{
    public string? Verb { get; init; }

    public string? ApiGroup { get; init; }

    public string? Resource { get; init; }

    public string? Subresource { get; init; }

    public string? Namespace { get; init; }

    public string? Name { get; init; }

    /// <summary>The HTTP status to answer with, as a Status object; null to only add latency.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The Status reason; defaults from the code (Conflict, TooManyRequests, InternalError, ServiceUnavailable...).</summary>
    public string? Reason { get; init; }

    public string? Message { get; init; }

    /// <summary>For 429/503: the <c>Retry-After</c> seconds.</summary>
    public int? RetryAfterSeconds { get; init; }

    public TimeSpan Latency { get; init; }

    public int? Times { get; init; }
}

/// <summary>
/// The programmatic test surface of a simulated cluster: watch history and watch-stream faults, request faults,
/// controller pause, and the audit log. Not reachable over HTTP unless <see cref="SimulatorOptions.ExposeHooksOverHttp"/>.
/// </summary>
public sealed class SimulatorHooks
{
    private readonly ClusterStore _store;
    private readonly ConcurrentQueue<AuditRecord> _audit = new();
    private readonly Lock _faultsGate = new();
    private readonly List<FaultEntry> _faults = [];

    internal SimulatorHooks(ClusterStore store, TimeProvider time)
    {
        _store = store;
        Time = time;
    }

    private sealed class FaultEntry(FaultRule rule)
    {
        public FaultRule Rule { get; } = rule;

        public int Hits;
    }

    /// <summary>The cluster's clock (advance it when it is a fake, to drive deadlines and expiry).</summary>
    public TimeProvider Time { get; }

    /// <summary>Whether the built-in controllers should stand still (they check this before each sync).</summary>
    public bool ControllersPaused { get; private set; }

    public event Action<bool>? ControllersPausedChanged;

    public void PauseControllers()
    {
        ControllersPaused = true;
        ControllersPausedChanged?.Invoke(true);
    }

    public void ResumeControllers()
    {
        ControllersPaused = false;
        ControllersPausedChanged?.Invoke(false);
    }

    /// <summary>Forgets watch history through <paramref name="resourceVersion"/> (default: all of it): a watch resuming from there gets 410 Expired.</summary>
    public void CompactWatchHistory(long? resourceVersion = null) => _store.CompactHistory(resourceVersion);

    /// <summary>Ends open watches cleanly, as a timeout or an apiserver restart would (clients re-watch from their last version).</summary>
    public int CloseWatches(ResourceType? type = null)
    {
        var watchers = _store.OpenWatchers(type);
        foreach (var watcher in watchers)
        {
            watcher.Close();
        }

        return watchers.Count;
    }

    /// <summary>Keeps open watches connected but silently stops delivering to them (a stuck stream).</summary>
    public int StallWatches(ResourceType? type = null)
    {
        var watchers = _store.OpenWatchers(type);
        foreach (var watcher in watchers)
        {
            watcher.Stalled = true;
        }

        return watchers.Count;
    }

    /// <summary>Sends every open watch an ERROR 410 Expired event and closes it.</summary>
    public int ExpireWatches(ResourceType? type = null)
    {
        var watchers = _store.OpenWatchers(type);
        var current = _store.ResourceVersion;
        foreach (var watcher in watchers)
        {
            watcher.Fail(ApiErrors.Expired($"too old resource version: {watcher.StartResourceVersion} ({current})"));
        }

        return watchers.Count;
    }

    public int OpenWatchCount(ResourceType? type = null) => _store.OpenWatchers(type).Count;

    /// <summary>Injects a fault; dispose the result to remove it.</summary>
    public IDisposable InjectFault(FaultRule rule)
    {
        var entry = new FaultEntry(rule);
        lock (_faultsGate)
        {
            _faults.Add(entry);
        }

        return new Removal(() =>
        {
            lock (_faultsGate)
            {
                _faults.Remove(entry);
            }
        });
    }

    public void ClearFaults()
    {
        lock (_faultsGate)
        {
            _faults.Clear();
        }
    }

    /// <summary>Every request served so far, oldest first.</summary>
    public IReadOnlyList<AuditRecord> AuditLog => _audit.ToArray();

    public void ClearAuditLog() => _audit.Clear();

    internal void Record(AuditRecord record) => _audit.Enqueue(record);

    /// <summary>The first fault matching a request, counting the hit; null when none applies.</summary>
    internal FaultRule? MatchFault(string verb, string group, string? resource, string? subresource, string? @namespace, string? name)
    {
        lock (_faultsGate)
        {
            foreach (var entry in _faults)
            {
                var rule = entry.Rule;
                if ((rule.Verb is null || rule.Verb == verb) && (rule.ApiGroup is null || rule.ApiGroup == group)
                    && (rule.Resource is null || rule.Resource == resource) && (rule.Subresource is null || rule.Subresource == subresource)
                    && (rule.Namespace is null || rule.Namespace == @namespace) && (rule.Name is null || rule.Name == name))
                {
                    entry.Hits++;
                    if (rule.Times is { } times && entry.Hits >= times)
                    {
                        _faults.Remove(entry);
                    }

                    return rule;
                }
            }
        }

        return null;
    }

    private sealed class Removal(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }
}
