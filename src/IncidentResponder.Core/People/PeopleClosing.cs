using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;

namespace IncidentResponder.Core.People;

/// <summary>A person closing an incident (resolved with a reason, or cancelled as a false alarm) and reopening it.</summary>
internal static class PeopleClosing
{
    /// <summary>
    /// A resolution closes an open incident unless it is older than the last reopen (by a person or by a signal):
    /// otherwise the request that closed it the first time would close it again right after every reopen.
    /// </summary>
    public static void Resolve(IncidentSpec spec, Recorder change)
    {
        var status = change.Status;
        if (spec.Resolution is not { } resolution || status.Phase.IsClosed() || LastReopen(status) is { } reopened && resolution.At <= reopened)
        {
            return;
        }

        var cancelled = resolution.Outcome == ResolutionOutcome.Cancelled;
        var (reason, sentence) = cancelled
            ? (PeopleConditions.Reasons.CancelledByPerson, $"cancelled by {resolution.By} as a false alarm: {resolution.Reason}")
            : (PeopleConditions.Reasons.ResolvedByPerson, $"resolved by {resolution.By}: {resolution.Reason}");
        status.Phase = cancelled ? IncidentPhase.Cancelled : IncidentPhase.Resolved;
        status.ResolvedAt = change.Now.UtcDateTime;
        status.Conditions = StatusConditions.Set(status.Conditions, Conditions.Resolved, true, reason, sentence, change.Now);
        status.Conditions = StatusConditions.Set(status.Conditions, Conditions.Acting, false, reason, "the incident is closed", change.Now);
        if (StatusConditions.Find(status.Conditions, PeopleConditions.Acknowledged) is { Status: "True" })
        {
            status.Conditions = StatusConditions.Set(status.Conditions, PeopleConditions.Acknowledged, false, reason, sentence, change.Now);
        }

        change.People.ClosedBy = resolution.By;
        change.People.ClosedReason = resolution.Reason;
        change.Timeline(TimelineEntryType.Phase, reason, $"{status.Phase}: {sentence}");
    }

    /// <summary>
    /// A reopen newer than the closing (the person's resolution, else the operator's) and than the last reopen applied
    /// opens the incident again: the runbook starts a new episode, as when a signal reopens it.
    /// </summary>
    public static void Reopen(IncidentSpec spec, Recorder change)
    {
        var status = change.Status;
        if (spec.Reopen?.At is not { } at || !status.Phase.IsClosed())
        {
            return;
        }

        var closedAt = spec.Resolution?.At ?? status.ResolvedAt;
        if (closedAt is { } closed && at <= closed || status.People?.ReopenedAt is { } last && at <= last)
        {
            return;
        }

        var sentence = $"reopened by {spec.Reopen.By}{PeopleLifecycle.Why(spec.Reopen.Reason)}";
        status.Phase = IncidentPhase.Detected;
        status.MitigatedAt = null;
        status.ResolvedAt = null;
        status.TimeToMitigate = null;
        status.Conditions = StatusConditions.Set(status.Conditions, Conditions.Resolved, false, StatusConditions.ReopenedReason, sentence, change.Now);
        status.Conditions = StatusConditions.Set(status.Conditions, Conditions.Mitigated, false, StatusConditions.ReopenedReason, sentence, change.Now);
        if (StatusConditions.Find(status.Conditions, Conditions.Escalated) is { Status: "True" })
        {
            status.Conditions = StatusConditions.Set(status.Conditions, Conditions.Escalated, false, StatusConditions.ReopenedReason, sentence, change.Now);
        }

        change.People.ReopenedAt = at;
        change.People.ClosedBy = null;
        change.People.ClosedReason = null;
        change.Timeline(TimelineEntryType.Phase, PeopleConditions.Reasons.ReopenedByPerson, $"Reopened: {sentence}");
    }

    /// <summary>When the incident was last opened again: by a person's reopen, or by a signal (the Resolved condition's flip).</summary>
    private static DateTime? LastReopen(IncidentStatus status)
    {
        var bySignal = StatusConditions.Find(status.Conditions, Conditions.Resolved) is { Status: "False", Reason: StatusConditions.ReopenedReason } condition
            ? (DateTime?)condition.LastTransitionTime
            : null;
        var byPerson = status.People?.ReopenedAt;
        return bySignal is null ? byPerson : byPerson is null ? bySignal : bySignal > byPerson ? bySignal : byPerson;
    }
}
