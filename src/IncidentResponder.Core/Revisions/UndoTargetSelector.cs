using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Time;

namespace IncidentResponder.Core.Revisions;

/// <summary>The revision a RolloutUndo returns to, and why that one: the why goes into the action's record.</summary>
public sealed record UndoTargetChoice(ReplicaSetObservation? Target, string Reason)
{
    public bool Found => Target is not null;
}

/// <summary>
/// Chooses the revision to roll back to. kubectl's "previous" is the highest revision below the current one, which
/// is a bad revision again when the last two rollouts both failed; "last known good" is the newest older revision
/// that was fully Available for the soak period and that no incident blamed.
/// </summary>
public static class UndoTargetSelector
{
    public static UndoTargetChoice Select(
        UndoTarget mode,
        long failingRevision,
        IEnumerable<ReplicaSetObservation> replicaSets,
        RevisionHistory history,
        TimeSpan soak,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(history);
        var all = replicaSets.ToList();
        var older = all.Where(rs => rs.Revision < failingRevision).OrderByDescending(rs => rs.Revision).ToList();
        if (older.Count == 0)
        {
            return new UndoTargetChoice(null, $"no rollout history found: no revision older than {failingRevision}");
        }

        var previous = older[0];
        if (mode == UndoTarget.Previous)
        {
            return new UndoTargetChoice(previous, $"revision {previous.Revision}: the one before {failingRevision}, as kubectl rollout undo chooses");
        }

        var skipped = new List<string>();
        foreach (var candidate in older)
        {
            var record = history.Find(candidate.Revision);
            if (record is { KnownBad: true })
            {
                skipped.Add($"{candidate.Revision} (known bad)");
            }
            // This process's own observations, else the evidence an earlier operator left on the ReplicaSet.
            else if ((record is null || !record.Soaked(soak, now)) && !PersistedAvailability.Soaked(candidate, all, soak, now))
            {
                skipped.Add($"{candidate.Revision} (not Available for {GoDuration.Format(soak)})");
            }
            else
            {
                var because = skipped.Count == 0 ? string.Empty : "; skipped " + string.Join(", ", skipped);
                return new UndoTargetChoice(candidate,
                    $"revision {candidate.Revision}: last known good, fully Available for at least {GoDuration.Format(soak)}{because}");
            }
        }

        // Nothing qualifies: the previous revision is still better than staying on a failing one, unless it is
        // itself known bad, in which case the newest revision not blamed by an incident is the best guess.
        var fallback = older.FirstOrDefault(rs => history.Find(rs.Revision) is not { KnownBad: true });
        return fallback is null
            ? new UndoTargetChoice(null, "every older revision is known bad: " + string.Join(", ", skipped))
            : new UndoTargetChoice(fallback,
                $"revision {fallback.Revision}: no revision was Available for {GoDuration.Format(soak)}, falling back to the newest older revision not known bad");
    }
}
