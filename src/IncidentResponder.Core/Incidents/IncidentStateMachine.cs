using System.Globalization;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Time;
using static IncidentResponder.Core.Incidents.IncidentEvent;

namespace IncidentResponder.Core.Incidents;

/// <summary>
/// The incident's lifecycle: Detected → Mitigating → (AwaitingApproval) → Mitigated → Resolved, or Escalated.
/// <see cref="Apply"/> returns a new status and never touches its input; applying an event that is already
/// reflected returns an equal status, so the shell can apply the same observation on every reconcile.
/// </summary>
public static class IncidentStateMachine
{
    public static IncidentStatus Apply(IncidentStatus? current, IncidentEvent @event, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var status = IncidentStatusCopy.Clone(current);
        switch (@event)
        {
            case Opened opened: Open(status, opened, now); break;
            case SignalObserved observed: SignalLifecycle.Observe(status, observed.Signal, now); break;
            case Reopened reopened: Reopen(status, reopened, now); break;
            case SignalCleared cleared: SignalLifecycle.Clear(status, cleared.Fingerprint, now); break;
            case SeverityChanged changed: ChangeSeverity(status, changed.Severity, now); break;
            case Escalated escalated: Escalate(status, escalated, now); break;
            case Resolved resolved: Resolve(status, resolved.Reason, now); break;
            case GitOpsEvent gitops: GitOpsLifecycle.Apply(status, gitops, now); break;
            default: ActionLifecycle.Apply(status, @event, now); break;
        }

        return status;
    }

    /// <summary>Applies events in order.</summary>
    public static IncidentStatus ApplyAll(IncidentStatus? current, IEnumerable<IncidentEvent> events, DateTimeOffset now) =>
        events.Aggregate(IncidentStatusCopy.Clone(current), (status, e) => Apply(status, e, now));

    private static void Open(IncidentStatus status, Opened opened, DateTimeOffset now)
    {
        if (status.Phase is not null)
        {
            return; // already opened: the event was applied before
        }

        status.Phase = IncidentPhase.Detected;
        status.Severity = opened.Severity.Severity;
        status.DetectedAt = opened.DetectedAt.UtcDateTime;
        status.OpenedAt = now.UtcDateTime;
        status.TimeToDetect = GoDuration.Format(Max0(now - opened.DetectedAt));
        status.Change = opened.Change;
        Record(status, now, TimelineEntryType.Detected, $"{opened.Signal.Type} detected: {opened.Signal.Message}");
        Record(status, now, TimelineEntryType.Triaged, opened.Severity.Reason);
        if (opened.Change?.Differences is { Count: > 0 } differences)
        {
            Record(status, now, TimelineEntryType.Evidence,
                $"revision {opened.Change.FailingRevision} vs {opened.Change.GoodRevision?.ToString(CultureInfo.InvariantCulture) ?? "none"}: {string.Join("; ", differences)}");
        }

        SignalLifecycle.Observe(status, opened.Signal, now, quiet: true);
    }

    private static void Reopen(IncidentStatus status, Reopened reopened, DateTimeOffset now)
    {
        if (!status.Phase.IsClosed())
        {
            SignalLifecycle.Observe(status, reopened.Signal, now);
            return;
        }

        status.Phase = IncidentPhase.Detected;
        status.MitigatedAt = null;
        status.ResolvedAt = null;
        status.TimeToMitigate = null;
        status.Conditions = StatusConditions.Set(status.Conditions, Conditions.Resolved, false, StatusConditions.ReopenedReason, reopened.Reason, now);
        status.Conditions = StatusConditions.Set(status.Conditions, Conditions.Mitigated, false, StatusConditions.ReopenedReason, reopened.Reason, now);
        Record(status, now, TimelineEntryType.Phase, $"Reopened: {reopened.Signal.Type}: {reopened.Signal.Message} ({reopened.Reason})");
        SignalLifecycle.Observe(status, reopened.Signal, now, quiet: true);
    }

    private static void ChangeSeverity(IncidentStatus status, SeverityAssessment severity, DateTimeOffset now)
    {
        if (status.Severity == severity.Severity)
        {
            return;
        }

        status.Severity = severity.Severity;
        Record(status, now, TimelineEntryType.Triaged, $"severity changed: {severity.Reason}");
    }

    private static void Escalate(IncidentStatus status, Escalated escalated, DateTimeOffset now)
    {
        if (status.Phase.IsHeldByPeople() || status.Phase.IsClosed())
        {
            return;
        }

        status.Phase = IncidentPhase.Escalated;
        status.Conditions = StatusConditions.Set(status.Conditions, Conditions.Escalated, true, escalated.ConditionReason, escalated.Reason, now);
        status.Conditions = StatusConditions.Set(status.Conditions, Conditions.Acting, false, escalated.ConditionReason, "the operator no longer acts", now);
        Record(status, now, TimelineEntryType.Phase, $"Escalated: {escalated.Reason}");
    }

    private static void Resolve(IncidentStatus status, string reason, DateTimeOffset now)
    {
        if (status.Phase.IsClosed())
        {
            return;
        }

        status.Phase = IncidentPhase.Resolved;
        status.ResolvedAt = now.UtcDateTime;
        status.Conditions = StatusConditions.Set(status.Conditions, Conditions.Resolved, true, Conditions.Reasons.SignalCleared, reason, now);
        status.Conditions = StatusConditions.Set(status.Conditions, Conditions.Acting, false, Conditions.Reasons.SignalCleared, reason, now);
        Record(status, now, TimelineEntryType.Phase, $"Resolved: {reason}");
    }

    /// <summary>Moves the phase and keeps the Acting and Mitigated conditions in step with it.</summary>
    internal static void EnterPhase(IncidentStatus status, IncidentPhase phase, string reason, DateTimeOffset now)
    {
        if (status.Phase.IsHeldByPeople() || status.Phase.IsClosed() || status.Phase == phase)
        {
            return;
        }

        status.Phase = phase;
        var acting = phase == IncidentPhase.Mitigating;
        var conditionReason = phase switch
        {
            IncidentPhase.Mitigating => Conditions.Reasons.ActionRunning,
            IncidentPhase.AwaitingApproval => Conditions.Reasons.AwaitingApproval,
            _ => Conditions.Reasons.Verified,
        };
        status.Conditions = StatusConditions.Set(status.Conditions, Conditions.Acting, acting, conditionReason, reason, now);
        if (phase == IncidentPhase.Mitigated)
        {
            status.MitigatedAt ??= now.UtcDateTime;
            status.TimeToMitigate = status.DetectedAt is { } detected
                ? GoDuration.Format(Max0(new DateTimeOffset(status.MitigatedAt.Value, TimeSpan.Zero) - new DateTimeOffset(detected, TimeSpan.Zero)))
                : null;
            status.Conditions = StatusConditions.Set(status.Conditions, Conditions.Mitigated, true, Conditions.Reasons.Verified, reason, now);
        }

        Record(status, now, TimelineEntryType.Phase, $"{phase}: {reason}");
    }

    internal static void Record(IncidentStatus status, DateTimeOffset now, TimelineEntryType type, string message) =>
        status.Timeline = BoundedTimeline.Append(status.Timeline, new TimelineEntry
        {
            Time = now.UtcDateTime, Type = type, Message = ActionRecords.Truncate(message),
        });

    private static TimeSpan Max0(TimeSpan span) => span < TimeSpan.Zero ? TimeSpan.Zero : span;
}
