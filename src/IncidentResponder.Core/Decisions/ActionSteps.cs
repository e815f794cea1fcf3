using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using IncidentResponder.Core.Incidents;

namespace IncidentResponder.Core.Decisions;

/// <summary>
/// The new actions (Scale, RaiseMemoryLimit, FeatureFlag, RestartRollout) through the same intent-first protocol as
/// RolloutUndo: the exact change and its originals go into the intent's details before the effect, a refusal or a
/// no-op is recorded as a skipped step (the runbook goes on), and a raise that did not help escalates.
/// </summary>
internal static class ActionSteps
{
    /// <summary>Condition reason when acting again would repeat an action that did not help.</summary>
    public const string RepeatRefusedReason = "RepeatWouldNotHelp";

    public static (List<IncidentEvent> Events, List<Effect> Effects) Act(IncidentContext context, RunbookStep step, int attempt, string why, DateTimeOffset now)
    {
        var type = step.Action.Type;
        switch (ActionPlanner.Plan(PlanningInput(context), step, now))
        {
            case ActionPlan.Apply apply:
                var intent = new IncidentEvent.IntentRecorded(step.Name, type, attempt, $"{apply.Reason}; {why}", apply.Change.ToDetails());

                // A change nobody can read back is sent only from a Pending record marked dispatched (next decision).
                return UnreadableDispatch.Needs(apply.Change)
                    ? ([intent], [])
                    : ([intent], [new Effect.RunAction(step.Name, attempt, step.Action, Annotation(context, step.Name, attempt), DryRun: false, apply.Change)]);
            case ActionPlan.Escalate escalate:
                var (events, effects, _) = IncidentDecider.Escalate(RepeatRefusedReason, $"step {step.Name}: {escalate.Reason}", context);
                return (events, effects);
            case var skip:
                return ([new IncidentEvent.IntentRecorded(step.Name, type, attempt, skip.Reason),
                    new IncidentEvent.ActionSkipped(step.Name, attempt, $"skipped: {skip.Reason}")], []);
        }
    }

    /// <summary>DryRun mode: record the exact change it would make (and ask for a server-side dry run), or why it would not.</summary>
    public static (List<IncidentEvent> Events, List<Effect> Effects) DryRun(IncidentContext context, RunbookStep step, int attempt, string why, DateTimeOffset now)
    {
        var type = step.Action.Type;
        return ActionPlanner.Plan(PlanningInput(context), step, now) switch
        {
            ActionPlan.Apply apply => ([new IncidentEvent.DryRunRecorded(step.Name, type, attempt, $"would {apply.Reason}; {why}", apply.Change.ToDetails())],
                [new Effect.RunAction(step.Name, attempt, step.Action, Annotation(context, step.Name, attempt), DryRun: true, apply.Change)]),
            ActionPlan.Escalate escalate => ([new IncidentEvent.DryRunRecorded(step.Name, type, attempt, $"would escalate: {escalate.Reason}")], []),
            var skip => ([new IncidentEvent.DryRunRecorded(step.Name, type, attempt, $"would skip: {skip.Reason}")], []),
        };
    }

    private static ActionPlanningInput PlanningInput(IncidentContext context) => new(context.IncidentName, context.Observed,
        context.Detection, context.Policy.ActionCaps, context.Status.Actions, context.NamespaceActions, context.Actions);

    /// <summary>
    /// A Pending intent after a restart: apply the recorded change once more (absolute values, so a second write is
    /// harmless) unless it is already visible; never re-plan from a cluster the change may already have reached. A
    /// change that cannot be read back goes through <see cref="UnreadableDispatch"/> instead: sent at most once.
    /// </summary>
    public static (List<IncidentEvent> Events, List<Effect> Effects) Recover(IncidentContext context, ActionRecord pending, RunbookStep? step)
    {
        var attempt = pending.Attempt ?? 1;
        if (step is null)
        {
            return ([new IncidentEvent.ActionSkipped(pending.Step, attempt, "skipped: the step is no longer in the runbook")], []);
        }

        if (ActionChangeCodec.Read(pending.Details, step.Action) is not { } change)
        {
            return ([new IncidentEvent.ActionSkipped(pending.Step, attempt, "skipped: the intent records no change to apply; deciding again could apply it twice")], []);
        }

        var effect = new Effect.RunAction(pending.Step, attempt, step.Action, Annotation(context, pending.Step, attempt), DryRun: false, change);
        if (UnreadableDispatch.Needs(change))
        {
            return UnreadableDispatch.Recover(pending, change, effect);
        }

        return ChangeObservation.IsApplied(change, context.Observed.Deployment, context.Actions)
            ? ([new IncidentEvent.ActionApplied(pending.Step, attempt, $"found applied after a restart: {change.Describe()}")], [])
            : ([], [effect]);
    }

    public static string Annotation(IncidentContext context, string step, int attempt) => RestartRecovery.AnnotationValue(context.IncidentName, step, attempt);
}
