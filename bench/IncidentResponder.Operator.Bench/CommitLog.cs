using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;

namespace IncidentResponder.Operator.Bench;

/// <summary>Which writer made a pod write: the background churn, or a bad rollout's pods.</summary>
internal enum WriteSource
{
    Churn,
    RolloutPod,
}

/// <summary>
/// When each pod write the benchmark made was committed, by resourceVersion. The time is taken just before the write
/// is handed to the store, so it is at or before the commit: every latency measured from it is at least the true one
/// (longer by the write's own duration, tens of microseconds), never shorter, even when a thread is preempted.
/// </summary>
internal sealed class CommitLog
{
    private readonly ConcurrentDictionary<long, (DateTimeOffset At, WriteSource Source)> _commits = new();

    public IReadOnlyDictionary<long, (DateTimeOffset At, WriteSource Source)> Commits => _commits;

    /// <summary>Makes a write and records it; gives back what was written, its resourceVersion and its commit time.</summary>
    /// <param name="before">The object's resourceVersion before an update: an update that changes nothing keeps it
    /// (no commit, no watch event), and is then not recorded.</param>
    public (JsonObject Written, long ResourceVersion, DateTimeOffset At) Write(Func<JsonObject> write, WriteSource source, long? before = null)
    {
        var at = DateTimeOffset.UtcNow;
        var written = write();
        var rv = ResourceVersionOf(written);
        if (rv != before)
        {
            _commits[rv] = (at, source);
        }

        return (written, rv, at);
    }

    public static long ResourceVersionOf(JsonObject obj) =>
        long.Parse(obj["metadata"]!["resourceVersion"]!.GetValue<string>(), NumberStyles.None, CultureInfo.InvariantCulture);
}
