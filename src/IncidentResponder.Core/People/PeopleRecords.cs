using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;

namespace IncidentResponder.Core.People;

/// <summary>The people's requests that change the record but not the phase: roles, re-grade, notes, approvals.</summary>
internal static class PeopleRecords
{
    public static void Roles(IncidentRoles? roles, Recorder change)
    {
        if (roles is null)
        {
            return;
        }

        var people = change.Status.People;
        if (people?.Commander != roles.Commander && roles.Commander is not null)
        {
            change.People.Commander = roles.Commander;
            change.Timeline(TimelineEntryType.Note, PeopleConditions.Reasons.RolesChanged, $"Incident commander: {roles.Commander}");
        }

        if (people?.Communications != roles.Communications && roles.Communications is not null)
        {
            change.People.Communications = roles.Communications;
            change.Timeline(TimelineEntryType.Note, PeopleConditions.Reasons.RolesChanged, $"Communications lead: {roles.Communications}");
        }
    }

    /// <summary>A person's severity wins over the operator's grading for as long as it is in the spec.</summary>
    public static void Regrade(SeverityRegrade? regrade, Recorder change)
    {
        var status = change.Status;
        if (regrade is null || status.Severity == regrade.Severity)
        {
            return;
        }

        var was = status.Severity is { } severity ? $" (was {severity.Name()})" : string.Empty;
        status.Severity = regrade.Severity;
        change.Timeline(TimelineEntryType.Triaged, PeopleConditions.Reasons.Regraded,
            $"severity set to {regrade.Severity.Name()}{was} by {regrade.By}{PeopleLifecycle.Why(regrade.Reason)}");
    }

    /// <summary>Each note goes into the timeline once: the status counts the notes already copied.</summary>
    public static void Notes(List<PersonNote>? notes, Recorder change)
    {
        var count = notes?.Count ?? 0;
        var recorded = change.Status.People?.NotesRecorded ?? 0;
        if (count == recorded)
        {
            return;
        }

        for (var i = recorded; i < count; i++)
        {
            change.Timeline(TimelineEntryType.Note, PeopleConditions.Reasons.NoteAdded, $"{notes![i].By}: {notes[i].Text}");
        }

        // Notes a person removed are not taken out of the story; the count follows the list so a new one is copied.
        change.People.NotesRecorded = count;
    }

    /// <summary>
    /// An approval of a step the runbook does not have would wait forever without a word: the API's validation cannot
    /// see the runbook, so the operator says so in a condition and, once per different finding, in the timeline.
    /// </summary>
    public static void Approvals(List<StepApproval>? approvals, IReadOnlyCollection<string>? steps, string? runbook, Recorder change)
    {
        if (steps is null)
        {
            return;
        }

        var status = change.Status;
        var existing = StatusConditions.Find(status.Conditions, PeopleConditions.ApprovalsValid);
        var unknown = (approvals ?? []).Where(a => !steps.Contains(a.Step)).ToList();
        if (unknown.Count == 0)
        {
            if (existing is { Status: "False" })
            {
                status.Conditions = StatusConditions.Set(status.Conditions, PeopleConditions.ApprovalsValid, true, PeopleConditions.Reasons.KnownSteps,
                    "every approved step is a step of the runbook", change.Now);
            }

            return;
        }

        var named = string.Join(", ", unknown.Select(a => $"{a.Step} (approved by {a.By})"));
        var message = ActionRecords.Truncate(
            $"spec.approvals names {named}, which runbook {runbook ?? "(none)"} does not have; its steps are: {string.Join(", ", steps)}");
        if (existing is { Status: "False" } && existing.Message == message)
        {
            return;
        }

        status.Conditions = StatusConditions.Set(status.Conditions, PeopleConditions.ApprovalsValid, false, PeopleConditions.Reasons.UnknownStep, message, change.Now);
        change.Timeline(TimelineEntryType.Guardrail, PeopleConditions.Reasons.UnknownStep, message);
    }
}
