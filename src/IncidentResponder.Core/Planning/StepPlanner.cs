using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Core.Planning;

/// <summary>
/// Walks a runbook as a person would: the first step whose <c>when</c> matches runs; when it fails, its onFailure
/// says what comes next (next matching step, escalate, or go to a named step); when the steps run out, escalate.
/// Decided from the incident's action records alone, so a restarted operator picks up where it stopped.
/// </summary>
public static class StepPlanner
{
    /// <summary>The API holds at most this many action records; a runbook that loops that long needs a person.</summary>
    public const int MaxActions = 50;

    public static PlanDecision Next(RunbookSpec runbook, IReadOnlyList<ActionRecord> actions, PlanningContext context)
    {
        ArgumentNullException.ThrowIfNull(runbook);
        ArgumentNullException.ThrowIfNull(actions);
        var steps = runbook.Steps;
        if (actions.Count == 0)
        {
            return FirstMatchingFrom(steps, 0, actions, context, "first matching step");
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

        if (actions.Count >= MaxActions)
        {
            return new PlanDecision.Escalate($"{actions.Count} actions recorded, the most an incident holds");
        }

        if (last.Phase != ActionPhase.Failed)
        {
            // Succeeded notes, skipped steps and dry runs did not fail: go on with the next matching step.
            return FirstMatchingFrom(steps, index + 1, actions, context, $"after step {last.Step} ({last.Phase})");
        }

        var onFailure = steps[index].OnFailure;
        return (onFailure?.Action ?? FailureAction.NextStep) switch
        {
            FailureAction.Escalate => new PlanDecision.Escalate($"step {last.Step} failed and its onFailure says escalate"),
            FailureAction.GoTo => GoTo(steps, onFailure!.Step, last.Step, actions),
            _ => FirstMatchingFrom(steps, index + 1, actions, context, $"step {last.Step} failed"),
        };
    }

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

    private static int NextAttempt(string step, IReadOnlyList<ActionRecord> actions) =>
        actions.Count(a => a.Step == step && a.Phase != ActionPhase.AwaitingApproval) + 1;
}
