using System.Globalization;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;

namespace IncidentResponder.Core.Revisions;

/// <summary>
/// The revisions an incident's record blames, which a rollback must never return to. Read from the record (not from
/// memory) so a restarted operator knows them too: the failing revision the incident was opened for, and every revision
/// one of its rollbacks moved away from. A reopened incident blames the new failing revision through the latter, since
/// its change record still describes the revision it was opened for.
/// </summary>
public static class BlamedRevisions
{
    public static IReadOnlyList<long> Of(IncidentStatus? status)
    {
        if (status is null)
        {
            return [];
        }

        var rolledBackFrom = (status.Actions ?? [])
            .Where(a => a.Type == ActionType.RolloutUndo && Acted(a.Phase))
            .Select(a => a.Details?.GetValueOrDefault(ActionRecords.FromRevisionKey))
            .Select(text => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var revision) && revision > 0 ? revision : (long?)null);
        return [.. rolledBackFrom.Prepend(status.Change?.FailingRevision).OfType<long>().Distinct().Order()];
    }

    /// <summary>
    /// A rollback intended or made. A skipped one is not a verdict (its "from" may be a template that already matched a
    /// good revision), and a dry run or a wait for approval changed nothing.
    /// </summary>
    private static bool Acted(ActionPhase phase) => phase is ActionPhase.Pending or ActionPhase.Running or ActionPhase.Succeeded or ActionPhase.Failed;
}
