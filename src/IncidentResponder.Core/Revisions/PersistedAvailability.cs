using IncidentResponder.Core.Observations;

namespace IncidentResponder.Core.Revisions;

/// <summary>A ReplicaSet that should carry the time its revision was first seen fully Available, and that time.</summary>
public sealed record AvailabilityEvidence(string ReplicaSet, DateTimeOffset Since);

/// <summary>
/// Last-known-good evidence kept on the ReplicaSets themselves, so it survives a restart of the operator. The
/// <see cref="RevisionHistory"/> lives in memory; a restarted operator has none, and without this would fall back to
/// "the newest older revision not known bad", which may be a revision that never served.
/// </summary>
public static class PersistedAvailability
{
    /// <summary>
    /// The evidence to write: the current revision is fully Available in this operator's history and its ReplicaSet
    /// carries no time yet. Null when there is nothing to write, so repeating an observation writes nothing twice.
    /// A time already on the ReplicaSet is never moved: it states when the revision was first seen Available.
    /// </summary>
    public static AvailabilityEvidence? ToRecord(RevisionHistory history, long? currentRevision, IEnumerable<ReplicaSetObservation> replicaSets)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (currentRevision is not { } current || history.Find(current)?.FullyAvailableSince is not { } since)
        {
            return null;
        }

        var replicaSet = replicaSets.FirstOrDefault(rs => rs.Revision == current);
        return replicaSet is { AvailableSince: null } ? new AvailabilityEvidence(replicaSet.Name, since) : null;
    }

    /// <summary>
    /// The persisted evidence says the revision served for at least <paramref name="soak"/>: from its recorded time
    /// until the first newer revision was created (a rollout replaced it then), or until now when none was. A revision
    /// that went unavailable in between is not told apart here; the operator that saw it blamed it in an incident, and
    /// known-bad revisions are skipped before this is asked.
    /// </summary>
    public static bool Soaked(ReplicaSetObservation candidate, IEnumerable<ReplicaSetObservation> replicaSets, TimeSpan soak, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (candidate.AvailableSince is not { } since)
        {
            return false;
        }

        var replacedAt = replicaSets
            .Where(rs => rs.Revision > candidate.Revision && rs.CreatedAt >= since)
            .Select(rs => (DateTimeOffset?)rs.CreatedAt)
            .Min() ?? now;
        return replacedAt - since >= soak;
    }
}
