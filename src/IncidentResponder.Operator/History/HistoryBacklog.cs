using System.Security.Cryptography;
using System.Text;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.History;
using IncidentResponder.Runtime.Controllers;
using k8s;

namespace IncidentResponder.Operator.History;

/// <summary>
/// What the history has not recorded yet, per incident uid. The Incident's status in the API server is the durable
/// buffer (and the finalizer keeps a deleted Incident there until it is recorded), with one gap: the status timeline
/// is bounded, so entries can be trimmed from it before a write succeeds (a long database outage). The informer sees
/// every version, so each entry is buffered here when first seen and dropped once recorded.
/// Limits, honestly: this buffer lives in the process (an operator restart during an outage loses the entries the
/// status has already trimmed, and only those), and it holds at most
/// <see cref="HistoryTimings.MaxBufferedEntriesPerIncident"/> entries per incident (beyond that the oldest go, counted
/// in <see cref="DroppedEntries"/>).
/// </summary>
public sealed class HistoryBacklog(int maxBufferedEntriesPerIncident, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Tracked> _byUid = new(StringComparer.Ordinal);

    /// <summary>Timeline entries dropped from the buffer because it was full (never recorded).</summary>
    public long DroppedEntries { get; private set; }

    /// <summary>A version of an Incident was seen (informer add or update): buffer its timeline, mark it unrecorded.</summary>
    public void Observe(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        if (incident.Metadata.Uid is not { Length: > 0 } uid)
        {
            return;
        }

        var keyed = TimelineKeys.Keyed(incident.Status?.Timeline ?? []);
        lock (_lock)
        {
            var tracked = Track(uid, incident);
            tracked.Latest = incident;
            tracked.LatestVersion = VersionOf(incident);
            tracked.Gone = false;
            foreach (var entry in keyed)
            {
                if (tracked.BufferedKeys.Add(entry.Key))
                {
                    tracked.Buffered.AddLast(entry);
                }
            }

            while (tracked.Buffered.Count > maxBufferedEntriesPerIncident)
            {
                tracked.BufferedKeys.Remove(tracked.Buffered.First!.Value.Key);
                tracked.Buffered.RemoveFirst();
                DroppedEntries++;
            }

            if (tracked.RecordedVersion != tracked.LatestVersion)
            {
                tracked.PendingSince ??= time.GetUtcNow();
            }
        }
    }

    /// <summary>The Incident is gone from the API server (informer delete).</summary>
    public void Departed(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        lock (_lock)
        {
            if (incident.Metadata.Uid is { } uid && _byUid.TryGetValue(uid, out var tracked))
            {
                tracked.Gone = true;
                if (tracked.PendingSince is null)
                {
                    _byUid.Remove(uid);
                }
            }
        }
    }

    /// <summary>
    /// The last version seen of an Incident that is gone from the API server without having been recorded (deleted
    /// before the finalizer was added, or while history was not configured yet): the controller records it as it was.
    /// </summary>
    public Incident? UnrecordedDeparted(ReconcileRequest request)
    {
        lock (_lock)
        {
            return _byUid.Values.FirstOrDefault(t => t.Gone && t.PendingSince is not null && t.Key == request)?.Latest;
        }
    }

    /// <summary>Entries seen and not recorded yet (some may already be trimmed from the status), oldest first.</summary>
    public IReadOnlyList<KeyedTimelineEntry> Buffered(string uid)
    {
        lock (_lock)
        {
            return _byUid.TryGetValue(uid, out var tracked) ? [.. tracked.Buffered] : [];
        }
    }

    /// <summary>True when this exact snapshot (incident and ConfigMap versions) was recorded last.</summary>
    public bool IsRecorded(string uid, string snapshotVersion)
    {
        lock (_lock)
        {
            return _byUid.TryGetValue(uid, out var tracked) && tracked.RecordedSnapshot == snapshotVersion;
        }
    }

    /// <summary>A snapshot made from <paramref name="incident"/> reached the database, with these timeline entries.</summary>
    public void Recorded(Incident incident, string snapshotVersion, IEnumerable<KeyedTimelineEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(entries);
        lock (_lock)
        {
            var tracked = Track(incident.Metadata.Uid, incident);
            tracked.RecordedVersion = VersionOf(incident);
            tracked.RecordedSnapshot = snapshotVersion;
            var written = entries.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
            for (var node = tracked.Buffered.First; node is not null;)
            {
                var next = node.Next;
                if (written.Contains(node.Value.Key))
                {
                    tracked.BufferedKeys.Remove(node.Value.Key);
                    tracked.Buffered.Remove(node);
                }

                node = next;
            }

            // A newer version may have been seen meanwhile: then it is still pending, since when it was seen.
            if (tracked.LatestVersion == tracked.RecordedVersion)
            {
                tracked.PendingSince = null;
                if (tracked.Gone)
                {
                    _byUid.Remove(incident.Metadata.Uid);
                }
            }
        }
    }

    /// <summary>The incident is recorded for good and gone (its finalizer removed): nothing left to track.</summary>
    public void Forget(string uid)
    {
        lock (_lock)
        {
            _byUid.Remove(uid);
        }
    }

    /// <summary>Incidents with a change not recorded yet.</summary>
    public int PendingCount
    {
        get
        {
            lock (_lock)
            {
                return _byUid.Values.Count(t => t.PendingSince is not null);
            }
        }
    }

    /// <summary>How long the oldest unrecorded change has waited; zero when everything is recorded.</summary>
    public TimeSpan Lag
    {
        get
        {
            lock (_lock)
            {
                var oldest = _byUid.Values.Select(t => t.PendingSince).Where(s => s is not null).Min();
                return oldest is { } since ? time.GetUtcNow() - since : TimeSpan.Zero;
            }
        }
    }

    /// <summary>The keys of every incident with an unrecorded change (to catch up at once when the database is back).</summary>
    public IReadOnlyList<ReconcileRequest> PendingKeys()
    {
        lock (_lock)
        {
            return [.. _byUid.Values.Where(t => t.PendingSince is not null).Select(t => t.Key)];
        }
    }

    /// <summary>
    /// The identity of one version of an Incident: a digest of the whole object rather than its resourceVersion, so a
    /// change is never missed even where a write does not move the resourceVersion (as the simulator's status writes
    /// were seen not to), and an identical re-delivery is never mistaken for a change.
    /// </summary>
    public static string VersionOf(Incident incident) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(KubernetesJson.Serialize(incident))));

    private Tracked Track(string uid, Incident incident)
    {
        if (!_byUid.TryGetValue(uid, out var tracked))
        {
            tracked = new Tracked { Key = new ReconcileRequest(incident.Metadata.NamespaceProperty, incident.Metadata.Name) };
            _byUid[uid] = tracked;
        }

        return tracked;
    }

    private sealed class Tracked
    {
        public ReconcileRequest Key { get; init; }

        public Incident? Latest { get; set; }

        public string? LatestVersion { get; set; }

        public bool Gone { get; set; }

        public string? RecordedVersion { get; set; }

        public string? RecordedSnapshot { get; set; }

        public DateTimeOffset? PendingSince { get; set; }

        public LinkedList<KeyedTimelineEntry> Buffered { get; } = new();

        public HashSet<string> BufferedKeys { get; } = new(StringComparer.Ordinal);
    }
}
