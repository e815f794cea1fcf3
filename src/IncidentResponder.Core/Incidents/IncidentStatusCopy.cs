using IncidentResponder.Api.V1Alpha1;
using k8s.Models;

namespace IncidentResponder.Core.Incidents;

/// <summary>
/// Deep copies of the (mutable) API status, so the state machine can return a new status and leave its input alone:
/// the caller can compare before and after to decide whether a status write is needed.
/// </summary>
public static class IncidentStatusCopy
{
    public static IncidentStatus Clone(IncidentStatus? status)
    {
        if (status is null)
        {
            return new IncidentStatus();
        }

        return new IncidentStatus
        {
            ObservedGeneration = status.ObservedGeneration,
            Phase = status.Phase,
            Severity = status.Severity,
            Conditions = status.Conditions?.Select(Clone).ToList(),
            DetectedAt = status.DetectedAt,
            OpenedAt = status.OpenedAt,
            MitigatedAt = status.MitigatedAt,
            ResolvedAt = status.ResolvedAt,
            TimeToDetect = status.TimeToDetect,
            TimeToMitigate = status.TimeToMitigate,
            Signals = status.Signals?.Select(Clone).ToList(),
            Actions = status.Actions?.Select(Clone).ToList(),
            Timeline = status.Timeline?.Select(e => new TimelineEntry { Time = e.Time, Type = e.Type, Message = e.Message }).ToList(),
            Change = status.Change is null ? null : new RevisionChange
            {
                FailingRevision = status.Change.FailingRevision,
                GoodRevision = status.Change.GoodRevision,
                Differences = status.Change.Differences?.ToList(),
            },
            // Written by the notification controller; carried through so a decision write never erases it.
            Notifications = status.Notifications?.Select(Clone).ToList(),
            GitOps = GitOpsStatusCopy.Clone(status.GitOps),
            People = Clone(status.People),
        };
    }

    /// <summary>The people's record: carried through every write, or a decision would forget who holds the incident.</summary>
    public static IncidentPeopleStatus? Clone(IncidentPeopleStatus? people) => people is null ? null : new()
    {
        DeclaredBy = people.DeclaredBy,
        AcknowledgedBy = people.AcknowledgedBy,
        AcknowledgedAt = people.AcknowledgedAt,
        HeldBy = people.HeldBy,
        Commander = people.Commander,
        Communications = people.Communications,
        HandedBackAt = people.HandedBackAt,
        ReopenedAt = people.ReopenedAt,
        ClosedBy = people.ClosedBy,
        ClosedReason = people.ClosedReason,
        NotesRecorded = people.NotesRecorded,
    };

    public static NotificationRecord Clone(NotificationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new NotificationRecord
        {
            Target = record.Target,
            Type = record.Type,
            UpdatesSent = record.UpdatesSent,
            LastSentAt = record.LastSentAt,
            LastMoment = record.LastMoment,
            LastMomentAt = record.LastMomentAt,
            NextUpdateAt = record.NextUpdateAt,
            ConsecutiveFailures = record.ConsecutiveFailures,
            LastError = record.LastError,
            LastErrorAt = record.LastErrorAt,
            PagerDutyState = record.PagerDutyState,
        };
    }

    public static ActionRecord Clone(ActionRecord action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return new ActionRecord
        {
            Step = action.Step,
            Type = action.Type,
            Phase = action.Phase,
            Attempt = action.Attempt,
            StartedAt = action.StartedAt,
            FinishedAt = action.FinishedAt,
            Message = action.Message,
            Details = action.Details is null ? null : new Dictionary<string, string>(action.Details, StringComparer.Ordinal),
        };
    }

    private static SignalRecord Clone(SignalRecord signal) => new()
    {
        Fingerprint = signal.Fingerprint,
        Type = signal.Type,
        Reason = signal.Reason,
        Message = signal.Message,
        FirstSeen = signal.FirstSeen,
        LastSeen = signal.LastSeen,
        Cleared = signal.Cleared,
    };

    private static V1Condition Clone(V1Condition condition) => new()
    {
        Type = condition.Type,
        Status = condition.Status,
        Reason = condition.Reason,
        Message = condition.Message,
        LastTransitionTime = condition.LastTransitionTime,
        ObservedGeneration = condition.ObservedGeneration,
    };
}
