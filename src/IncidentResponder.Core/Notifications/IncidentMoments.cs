using System.Globalization;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;

namespace IncidentResponder.Core.Notifications;

/// <summary>
/// The notifiable moments of an incident, read from its status alone: opened (and reopened), each action reaching a
/// phase, mitigated, escalated, resolved. The status is the record, so nothing else has to remember what happened.
/// </summary>
public static class IncidentMoments
{
    public static IReadOnlyList<IncidentMoment> From(IncidentStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var moments = new List<IncidentMoment>();
        if (status.OpenedAt is { } opened)
        {
            moments.Add(new IncidentMoment("opened", MomentKind.Opened, Utc(opened), "Incident opened"));
        }

        if (StatusConditions.Find(status.Conditions, Conditions.Resolved) is { Status: "False", Reason: StatusConditions.ReopenedReason, LastTransitionTime: { } reopened } reopenedCondition)
        {
            moments.Add(new IncidentMoment("reopened", MomentKind.Reopened, Utc(reopened), $"Reopened: {reopenedCondition.Message}"));
        }

        foreach (var action in status.Actions ?? [])
        {
            if (ActionMoment(action) is { } moment)
            {
                moments.Add(moment);
            }
        }

        if (status.MitigatedAt is { } mitigated)
        {
            var why = StatusConditions.Find(status.Conditions, Conditions.Mitigated)?.Message;
            moments.Add(new IncidentMoment("mitigated", MomentKind.Mitigated, Utc(mitigated), Sentence("Mitigated", why ?? "the target is verified healthy")));
        }

        if (status.Phase.IsHeldByPeople()
            && StatusConditions.Find(status.Conditions, Conditions.Escalated) is { Status: "True", LastTransitionTime: { } escalated } escalatedCondition)
        {
            moments.Add(new IncidentMoment("escalated", MomentKind.Escalated, Utc(escalated), Sentence("Escalated to people", escalatedCondition.Message)));
        }

        PeopleMoments(status, moments);
        if (status.Phase.IsClosed() && status.ResolvedAt is { } resolved)
        {
            var why = StatusConditions.Find(status.Conditions, Conditions.Resolved)?.Message;
            moments.Add(status.Phase == IncidentPhase.Cancelled
                ? new IncidentMoment("cancelled", MomentKind.Cancelled, Utc(resolved), Sentence("Cancelled", why))
                : new IncidentMoment("resolved", MomentKind.Resolved, Utc(resolved), Sentence("Resolved", why)));
        }

        moments.Sort();
        return moments;
    }

    /// <summary>A person taking hold of an escalated incident, and handing it back: both times are the operator's own.</summary>
    private static void PeopleMoments(IncidentStatus status, List<IncidentMoment> moments)
    {
        if (status.Phase == IncidentPhase.Acknowledged
            && StatusConditions.Find(status.Conditions, People.PeopleConditions.Acknowledged) is { Status: "True", LastTransitionTime: { } acknowledged } holding)
        {
            moments.Add(new IncidentMoment("acknowledged", MomentKind.Acknowledged, Utc(acknowledged), Sentence("Acknowledged", holding.Message)));
        }

        if (StatusConditions.Find(status.Conditions, Conditions.Escalated) is { Status: "False", Reason: ActionRecords.HandedBackReason, LastTransitionTime: { } handedBack } back)
        {
            moments.Add(new IncidentMoment("handedback", MomentKind.HandedBack, Utc(handedBack), Sentence("Handed back", back.Message)));
        }
    }

    /// <summary>
    /// An action's current phase as a moment. Pending is left out on purpose: it is the intent the operator writes a
    /// moment before applying (crash safety), not something that happened to the target.
    /// </summary>
    private static IncidentMoment? ActionMoment(ActionRecord action)
    {
        if (action.Phase == ActionPhase.Pending || (action.FinishedAt ?? action.StartedAt) is not { } at)
        {
            return null;
        }

        var attempt = (action.Attempt ?? 1).ToString(CultureInfo.InvariantCulture);
        var what = $"{action.Step} ({action.Type}) {PhaseWords(action.Phase)}";
        return new IncidentMoment($"action/{action.Step}/{attempt}/{action.Phase}", MomentKind.Action, Utc(at), Sentence(what, action.Message));
    }

    private static string PhaseWords(ActionPhase phase) => phase switch
    {
        ActionPhase.Running => "applied, verifying",
        ActionPhase.Succeeded => "succeeded",
        ActionPhase.Failed => "failed",
        ActionPhase.Skipped => "skipped",
        ActionPhase.DryRun => "computed as a dry run",
        ActionPhase.AwaitingApproval => "awaits approval",
        _ => phase.ToString(),
    };

    private static string Sentence(string head, string? detail) => string.IsNullOrWhiteSpace(detail) ? head : $"{head}: {detail}";

    /// <summary>Status times are UTC; the API client may hand them back unspecified.</summary>
    public static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
