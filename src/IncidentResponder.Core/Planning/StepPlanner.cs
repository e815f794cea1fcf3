using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Core.Planning;

/// <summary>
/// Walks a runbook as a person would: the first step whose <c>when</c> matches runs; when it fails, its onFailure
/// says what comes next (next matching step, escalate, or go to a named step); when the steps run out, escalate.
/// Decided from the incident's action records alone, so a restarted operator picks up where it stopped.
/// </summary>
/// <remarks>
/// A reopened incident walks its runbook again over the records of the current episode only, but an action record is
/// identified by (step, attempt) across the whole incident: attempts are numbered over every record, so a step run
/// again after a reopen gets a new record instead of colliding with the one that already succeeded.
/// </remarks>
public static class StepPlanner
{
    /// <summary>The API holds at most this many action records; a runbook that loops that long needs a person.</summary>
    public const int MaxActions = 50;

    /// <param name="actions">The records of the current episode: what the walk through the runbook goes by.</param>
    /// <param name="allActions">Every record of the incident, earlier episodes included, for numbering attempts; null: the same as <paramref name="actions"/>.</param>
    public static PlanDecision Next(RunbookSpec runbook, IReadOnlyList<ActionRecord> actions, PlanningContext context, IReadOnlyList<ActionRecord>? allActions = null)
    {
        ArgumentNullException.ThrowIfNull(runbook);
        ArgumentNullException.ThrowIfNull(actions);
        var steps = runbook.Steps;
        var all = allActions ?? actions;
        if (actions.Count == 0)
        {
            return all.Count >= MaxActions ? Full(all) : FirstMatchingFrom(steps, 0, all, context, "first matching step");
        }

        var last = actions[^1];
        var index = steps.FindIndex(s => s.Name == last.Step);
        switch (last.Phase)
        {
            case ActionPhase.Pending or ActionPhase.Running:
                return new PlanDecision.InFlight(last, $"step {last.Step} is {last.Phase.ToString().ToLowerInvariant()}");
            case ActionPhase.AwaitingApproval when index >= 0:
                return new PlanDecision.RunStep(steps[index], last.Attempt ?? 1, $"step {last.Step} awaits approval");
            case ActionPhase.Succeeded when last.Type == ActionType.Escalate:
                return new PlanDecision.Done($"escalated by step {last.Step}");
            case ActionPhase.Succeeded when last.Type != ActionType.Note:
                return new PlanDecision.Done($"step {last.Step} mitigated the incident");
        }

        if (index < 0)
        {
            return new PlanDecision.Escalate($"step {last.Step} is no longer in the runbook; a person must decide what comes next");
        }

        if (all.Count >= MaxActions)
        {
            return Full(all);
        }

        if (Incidents.ActionRecords.HeldByWindow(last))
        {
            // A maintenance window held the step, it did not run: ask again, and the guardrails say whether it still holds.
            return new PlanDecision.RunStep(steps[index], NextAttempt(last.Step, all),
                $"step {last.Step} was held by maintenance window {last.Details![Incidents.ActionRecords.HeldByWindowKey]}; deciding it again");
        }

        if (last.Phase != ActionPhase.Failed)
        {
            // Succeeded notes, skipped steps and dry runs did not fail: go on with the next matching step.
            return FirstMatchingFrom(steps, index + 1, all, context, $"after step {last.Step} ({last.Phase})");
        }

        var onFailure = steps[index].OnFailure;
        return (onFailure?.Action ?? FailureAction.NextStep) switch
        {
            FailureAction.Escalate => new PlanDecision.Escalate($"step {last.Step} failed and its onFailure says escalate"),
            FailureAction.GoTo => GoTo(steps, onFailure!.Step, last.Step, all),
            _ => FirstMatchingFrom(steps, index + 1, all, context, $"step {last.Step} failed"),
        };
    }

    private static PlanDecision.Escalate Full(IReadOnlyList<ActionRecord> all) => new($"{all.Count} actions recorded, the most an incident holds");

    private static PlanDecision GoTo(List<RunbookStep> steps, string? target, string from, IReadOnlyList<ActionRecord> actions)
    {
        var step = steps.Find(s => s.Name == target);
        return step is null
            ? new PlanDecision.Escalate($"step {from} failed and its onFailure names step {target}, which does not exist")
            : new PlanDecision.RunStep(step, NextAttempt(step.Name, actions), $"step {from} failed; onFailure goes to step {step.Name}");
    }

    private static PlanDecision FirstMatchingFrom(
        List<RunbookStep> steps, int start, IReadOnlyList<ActionRecord> actions, PlanningContext context, string why)
    {
        for (var i = start; i < steps.Count; i++)
        {
            if (StepConditionMatcher.Matches(steps[i].When, context))
            {
                return new PlanDecision.RunStep(steps[i], NextAttempt(steps[i].Name, actions), $"{why}: step {steps[i].Name} matches");
            }
        }

        return new PlanDecision.Escalate($"{why}: no further step matches; the runbook's steps are exhausted");
    }

    /// <summary>
    /// One more than the highest attempt of the step anywhere in the record. A record waiting for approval does not
    /// count: when it is still there, the next attempt is that very record, which the approval turns into the intent.
    /// </summary>
    private static int NextAttempt(string step, IReadOnlyList<ActionRecord> allActions) =>
        allActions.Where(a => a.Step == step && a.Phase != ActionPhase.AwaitingApproval).Select(a => a.Attempt ?? 1).DefaultIfEmpty(0).Max() + 1;
}
