using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Guardrails;
using IncidentResponder.Core.Incidents;

namespace IncidentResponder.Core.Decisions;

/// <summary>
/// A step an open maintenance window holds: recorded once as a dry run that names the window and when it closes, so
/// the timeline says who held what. The record marks the step as not yet decided (the planner asks for it again), and
/// until the window closes every reconcile finds it already held and does nothing more.
/// </summary>
internal static class MaintenanceHold
{
    public static (List<IncidentEvent> Events, List<Effect> Effects, string Reason) Hold(
        IncidentContext context, RunbookStep step, int attempt, string why, DateTimeOffset now)
    {
        var open = context.Policy.Maintenance.OpenAt(now);
        var last = ActionRecords.CurrentEpisode(context.Status) is { Count: > 0 } actions ? actions[^1] : null;
        if (open is null || last is not null && last.Step == step.Name && ActionRecords.HeldByWindow(last)
            && last.Details![ActionRecords.HeldByWindowKey] == open.Name)
        {
            return ([], [], why);
        }

        var (events, effects) = StepActions.DryRun(context, step, attempt, why, now);
        var held = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ActionRecords.HeldByWindowKey] = open.Name,
            [ActionRecords.HeldUntilKey] = MaintenanceWindowRule.Format(open.Until),
        };
        var marked = events.Select(e => e is IncidentEvent.DryRunRecorded dryRun
            ? dryRun with
            {
                Message = dryRun.Message.Contains(why, StringComparison.Ordinal) ? dryRun.Message : $"{dryRun.Message}; {why}",
                Details = Merge(dryRun.Details, held),
            }
            : e).ToList();
        return (marked, effects, why);
    }

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string>? details, Dictionary<string, string> held)
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in details ?? new Dictionary<string, string>())
        {
            merged[key] = value;
        }

        foreach (var (key, value) in held)
        {
            merged[key] = value;
        }

        return merged;
    }
}
