using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;

namespace IncidentResponder.Core.People;

/// <summary>One thing a person's request changed: the Event's reason and message (the timeline has the same line).</summary>
public sealed record PeopleChange(string Reason, string Message);

/// <summary>The status after the people's requests, what they changed, and whether the runbook may act now.</summary>
public sealed record PeopleOutcome(IncidentStatus Status, IReadOnlyList<PeopleChange> Changes, bool RunbookMayAct);

/// <summary>
/// What people wrote into an Incident's spec, applied to its status: acknowledgement, roles, hand-back, resolution,
/// reopen, re-grade, notes and approvals of steps the runbook does not have. Each request is applied once: the status
/// remembers what it applied (who acknowledged, the last hand-back's and reopen's times, how many notes), so applying
/// the same spec again returns an equal status and no change. Pure: the time comes in as a parameter.
/// </summary>
public static class PeopleLifecycle
{
    /// <param name="runbookSteps">The steps of the incident's runbook; null when it is not known (approvals are then not checked).</param>
    public static PeopleOutcome Apply(IncidentStatus? current, IncidentSpec spec, IReadOnlyCollection<string>? runbookSteps, string? runbookName, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var status = IncidentStatusCopy.Clone(current);
        if (status.Phase is null)
        {
            return new PeopleOutcome(status, [], false); // not opened yet: declaration or triage comes first
        }

        var changes = new List<PeopleChange>();
        var change = new Recorder(status, changes, now);
        PeopleRecords.Roles(spec.Roles, change);
        PeopleRecords.Regrade(spec.Regrade, change);
        PeopleRecords.Notes(spec.Notes, change);
        Acknowledge(spec.Acknowledgement, change);
        HandBack(spec.Handback, change);
        PeopleClosing.Reopen(spec, change);
        PeopleClosing.Resolve(spec, change);
        PeopleRecords.Approvals(spec.Approvals, runbookSteps, runbookName, change);
        Hold(status);
        return new PeopleOutcome(status, changes, !status.Phase.IsHeldByPeople());
    }

    /// <summary>
    /// A new acknowledgement is recorded; on an escalated incident the person then holds it. An acknowledgement older
    /// than the last hand-back does not take an incident escalated again back into a person's hands: that needs a new one.
    /// </summary>
    private static void Acknowledge(PersonRequest? ack, Recorder change)
    {
        if (ack is null)
        {
            return;
        }

        var status = change.Status;
        var people = change.People;
        if (people.AcknowledgedBy != ack.By || (ack.At is { } at && at != people.AcknowledgedAt))
        {
            people.AcknowledgedBy = ack.By;
            people.AcknowledgedAt = ack.At ?? change.Now.UtcDateTime;
            change.Timeline(TimelineEntryType.Note, PeopleConditions.Reasons.AcknowledgedByPerson, $"Acknowledged by {ack.By}{Why(ack.Reason)}");
        }

        var newerThanHandBack = people.HandedBackAt is not { } handedBack || (ack.At is { } requested && requested > handedBack);
        if (status.Phase == IncidentPhase.Escalated && newerThanHandBack)
        {
            status.Phase = IncidentPhase.Acknowledged;
            status.Conditions = StatusConditions.Set(status.Conditions, PeopleConditions.Acknowledged, true, PeopleConditions.Reasons.AcknowledgedByPerson,
                $"{people.Commander ?? ack.By} holds the incident", change.Now);
            change.Timeline(TimelineEntryType.Phase, PeopleConditions.Reasons.AcknowledgedByPerson,
                $"Acknowledged: {people.Commander ?? ack.By} holds the escalated incident; automation stays hands-off until it is handed back");
        }
    }

    /// <summary>
    /// A hand-back newer than the last one applied returns a held incident to automation: the runbook starts a new
    /// episode (its steps run again) while the guardrails still count every action ever taken. A hand-back of an
    /// incident automation already holds is recorded as applied, so it cannot undo a later escalation.
    /// </summary>
    private static void HandBack(PersonRequest? handback, Recorder change)
    {
        if (handback?.At is not { } at || change.Status.People?.HandedBackAt is { } last && at <= last)
        {
            return;
        }

        var status = change.Status;
        change.People.HandedBackAt = at;
        if (!status.Phase.IsHeldByPeople())
        {
            change.Timeline(TimelineEntryType.Note, PeopleConditions.Reasons.HandedBack,
                $"Hand-back by {handback.By} noted; the incident is {status.Phase}, automation already holds it");
            return;
        }

        var message = $"handed back to automation by {handback.By}{Why(handback.Reason)}";
        status.Phase = IncidentPhase.Detected;
        status.Conditions = StatusConditions.Set(status.Conditions, Conditions.Escalated, false, PeopleConditions.Reasons.HandedBack, message, change.Now);
        if (StatusConditions.Find(status.Conditions, PeopleConditions.Acknowledged) is not null)
        {
            status.Conditions = StatusConditions.Set(status.Conditions, PeopleConditions.Acknowledged, false, PeopleConditions.Reasons.HandedBack, message, change.Now);
        }

        change.Timeline(TimelineEntryType.Phase, PeopleConditions.Reasons.HandedBack, $"Handed back: {message}; the runbook runs again");
    }

    /// <summary>Who holds the incident: the commander, else who acknowledged it, while people hold it; nobody otherwise.</summary>
    private static void Hold(IncidentStatus status)
    {
        var people = status.People;
        var holder = status.Phase.IsHeldByPeople()
            ? people?.Commander ?? (status.Phase == IncidentPhase.Acknowledged ? people?.AcknowledgedBy : null)
            : null;
        if (people is not null && people.HeldBy != holder)
        {
            people.HeldBy = holder;
        }
    }

    internal static string Why(string? reason) => string.IsNullOrWhiteSpace(reason) ? string.Empty : $": {reason}";
}

/// <summary>Writes one change: the timeline line and the Event, from one sentence.</summary>
internal sealed class Recorder(IncidentStatus status, List<PeopleChange> changes, DateTimeOffset now)
{
    public IncidentStatus Status => status;

    public DateTimeOffset Now => now;

    /// <summary>The people's record, created on the first change so a spec without requests leaves the status as it was.</summary>
    public IncidentPeopleStatus People => status.People ??= new IncidentPeopleStatus();

    public void Timeline(TimelineEntryType type, string reason, string message)
    {
        IncidentStateMachine.Record(status, now, type, message);
        changes.Add(new PeopleChange(reason, ActionRecords.Truncate(message)));
    }
}
