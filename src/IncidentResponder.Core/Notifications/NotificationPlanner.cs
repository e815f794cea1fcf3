using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;

namespace IncidentResponder.Core.Notifications;

/// <summary>
/// Decides, for one incident and one target, whether an update is due now, and what it says.
/// Chat targets (Slack, Webhook) hear about every moment after the last one they heard of (opened, each action
/// phase, mitigated, escalated, resolved; moments that pile up between two looks go out as one update), and, while
/// the incident is open, get a periodic update once the cadence has passed since the last update sent.
/// PagerDuty hears only about changes of its alert's state: trigger on open, acknowledge once mitigated, resolve on
/// resolution, trigger again on a reopen. While a maintenance window is open nobody is paged: a trigger waits for
/// the window's end (and is never sent for an incident resolved meanwhile); chat targets hear everything as usual.
/// A target's minSeverity decides whether an incident starts going to it; once a target heard of an incident it
/// hears it through to the end (a channel told "declared" must be told "resolved"). An incident already resolved
/// before a target ever heard of it is not announced there (a target added later gets no history flood).
/// </summary>
public static class NotificationPlanner
{
    public static NotificationPlan Plan(NotificationInput input, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Status.Phase is not { } phase)
        {
            return NotificationPlan.Idle.Instance; // not opened yet: triage has not written its first status
        }

        var severity = input.Status.Severity ?? input.Spec.Severity;
        var record = input.Record is { } r && r.Type == input.Target.Type ? r : null; // a target renamed to a new type starts over
        var heard = record?.LastMoment is not null;
        if (!heard && (!Admits(input.Target.MinSeverity, severity) || ((IncidentPhase?)phase).IsClosed()))
        {
            return NotificationPlan.Idle.Instance;
        }

        var moments = IncidentMoments.From(input.Status);
        var pending = heard
            ? [.. moments.Where(m => m.IsAfter(record!.LastMoment!, IncidentMoments.Utc(record.LastMomentAt ?? DateTime.MinValue)))]
            : moments;
        // Periodic updates go on while people hold the incident: the channel hears who holds it until it is closed.
        var open = !((IncidentPhase?)phase).IsClosed();
        var isPagerDuty = input.Target.Type == NotificationTargetType.PagerDuty;
        var cadence = open && !isPagerDuty ? UpdateCadence.For(input.Cadence, severity) : null;

        PagerDutyAction? pagerDuty = null;
        DateTimeOffset? periodicAt = null;
        bool due;
        if (isPagerDuty)
        {
            pagerDuty = record?.PagerDutyState is null ? PagerDutyAction.Trigger : Action(Desired(phase));
            due = record?.PagerDutyState != State(pagerDuty.Value);
        }
        else
        {
            periodicAt = cadence is { } interval && record?.LastSentAt is { } last ? IncidentMoments.Utc(last) + interval : null;
            due = pending.Count > 0 || periodicAt <= now;
        }

        if (due && pagerDuty == PagerDutyAction.Trigger && input.Maintenance is { } window)
        {
            return new NotificationPlan.Wait(window.Until);
        }

        if (!due)
        {
            return periodicAt is { } at ? new NotificationPlan.Wait(at) : NotificationPlan.Idle.Instance;
        }

        if (record?.ConsecutiveFailures is > 0 and var failures)
        {
            if (!open && failures >= DeliveryBackoff.MaxFailuresAfterClose)
            {
                return NotificationPlan.Idle.Instance;
            }

            var retryAt = IncidentMoments.Utc(record.LastErrorAt ?? DateTime.MinValue) + DeliveryBackoff.Delay(failures, input.FirstFailureBackoff);
            if (retryAt > now)
            {
                return new NotificationPlan.Wait(retryAt);
            }
        }

        var nextUpdateAt = cadence is { } every ? now + every : (DateTimeOffset?)null;
        var update = IncidentUpdateBuilder.Build(input, Kind(heard, pending), phase, severity, pending, now, nextUpdateAt, cadence, pagerDuty);
        var latest = moments.Count > 0 ? moments[^1] : null;
        var delivered = new NotificationRecord
        {
            Target = input.Target.Name,
            Type = input.Target.Type,
            UpdatesSent = (record?.UpdatesSent ?? 0) + 1,
            LastSentAt = now.UtcDateTime,
            LastMoment = latest?.Key ?? record?.LastMoment,
            LastMomentAt = latest?.At.UtcDateTime ?? record?.LastMomentAt,
            NextUpdateAt = nextUpdateAt?.UtcDateTime,
            ConsecutiveFailures = 0,
            LastError = record?.LastError,
            LastErrorAt = record?.LastErrorAt,
            PagerDutyState = pagerDuty is { } action ? State(action) : null,
        };
        return new NotificationPlan.Send(update, delivered);
    }

    /// <summary>The record after a failed delivery: one more failure in a row, and why (never the Secret's content).</summary>
    public static NotificationRecord Failed(NotificationRecord? record, NotificationTarget target, string error, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(target);
        var same = record is not null && record.Type == target.Type ? record : null;
        return new NotificationRecord
        {
            Target = target.Name,
            Type = target.Type,
            UpdatesSent = same?.UpdatesSent ?? 0,
            LastSentAt = same?.LastSentAt,
            LastMoment = same?.LastMoment,
            LastMomentAt = same?.LastMomentAt,
            NextUpdateAt = same?.NextUpdateAt,
            ConsecutiveFailures = (same?.ConsecutiveFailures ?? 0) + 1,
            LastError = error.Length <= 1024 ? error : error[..1021] + "...",
            LastErrorAt = now.UtcDateTime,
            PagerDutyState = same?.PagerDutyState,
        };
    }

    /// <summary>minSeverity SEV-2 admits SEV-1 and SEV-2 (a smaller number is worse).</summary>
    public static bool Admits(Severity? minSeverity, Severity severity) => minSeverity is not { } min || (int)severity <= (int)min;

    private static UpdateKind Kind(bool heard, IReadOnlyList<IncidentMoment> pending) =>
        !heard ? UpdateKind.Declared
        : pending.Any(m => m.Kind is MomentKind.Resolved or MomentKind.Cancelled) ? UpdateKind.Resolved
        : pending.Any(m => m.Kind == MomentKind.Escalated) ? UpdateKind.Escalated
        : pending.Count == 0 ? UpdateKind.Periodic
        : UpdateKind.Changed;

    private static PagerDutyState Desired(IncidentPhase phase) => phase switch
    {
        IncidentPhase.Resolved or IncidentPhase.Cancelled => PagerDutyState.Resolved,
        IncidentPhase.Mitigated or IncidentPhase.Acknowledged => PagerDutyState.Acknowledged,
        _ => PagerDutyState.Triggered,
    };

    private static PagerDutyAction Action(PagerDutyState state) => state switch
    {
        PagerDutyState.Resolved => PagerDutyAction.Resolve,
        PagerDutyState.Acknowledged => PagerDutyAction.Acknowledge,
        _ => PagerDutyAction.Trigger,
    };

    private static PagerDutyState State(PagerDutyAction action) => action switch
    {
        PagerDutyAction.Resolve => PagerDutyState.Resolved,
        PagerDutyAction.Acknowledge => PagerDutyState.Acknowledged,
        _ => PagerDutyState.Triggered,
    };
}
