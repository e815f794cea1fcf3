using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Core.Guardrails;

/// <summary>One action of any incident in the namespace, flattened for the rate and breaker rules.</summary>
public sealed record ActionHistoryEntry(
    string Incident,
    string Target,
    string Step,
    ActionType Type,
    ActionPhase Phase,
    DateTimeOffset? StartedAt);

/// <summary>Which recorded actions count as "the operator changed something".</summary>
public static class ActionHistory
{
    /// <summary>Flattens one incident's action records.</summary>
    public static IEnumerable<ActionHistoryEntry> From(string incident, string target, IEnumerable<ActionRecord>? actions) =>
        (actions ?? []).Select(a => new ActionHistoryEntry(incident, target, a.Step, a.Type, a.Phase,
            a.StartedAt is { } started ? new DateTimeOffset(DateTime.SpecifyKind(started, DateTimeKind.Utc)) : null));

    /// <summary>Actions that change the cluster. Notes and escalations change nothing, so no guardrail limits them.</summary>
    public static bool Mutates(ActionType type) => type is not (ActionType.Note or ActionType.Escalate);

    /// <summary>
    /// Applied or about to be applied: a Pending intent counts too, so two reconciles racing cannot both slip under a
    /// limit. Dry runs, skips and waits for approval changed nothing.
    /// </summary>
    public static bool Counts(ActionHistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Mutates(entry.Type)
            && entry.StartedAt is not null
            && entry.Phase is ActionPhase.Pending or ActionPhase.Running or ActionPhase.Succeeded or ActionPhase.Failed;
    }
}
