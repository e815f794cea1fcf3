using System.Globalization;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Revisions;

namespace IncidentResponder.Core.Decisions;

/// <summary>
/// Turns a step that passed the guardrails into events and effects: the intent record first, then the cluster
/// change. Also rebuilds the effect of an intent found Pending after a restart, so both paths act identically.
/// </summary>
internal static class StepActions
{
    /// <summary>A mutating step allowed to act: write the intent, then (unless there is nothing to do) the effect.</summary>
    public static (List<IncidentEvent> Events, List<Effect> Effects) Act(IncidentContext context, RunbookStep step, int attempt, string why, DateTimeOffset now)
    {
        if (step.Action.Type != ActionType.RolloutUndo)
        {
            return ActionSteps.Act(context, step, attempt, why, now);
        }

        var plan = PlanRollback(context, step, now);
        var details = plan.Target is null ? null : Details(context, plan.Target);
        if (details is not null && ForcesRecreate(context, step))
        {
            details[ActionRecords.ForceRecreateStuckPodsKey] = "true";
        }

        var reason = plan.Target is null ? plan.Reason : $"roll back {context.Observed.Deployment.Name} to {plan.Reason}";
        var events = new List<IncidentEvent> { new IncidentEvent.IntentRecorded(step.Name, step.Action.Type, attempt, reason, details) };
        if (plan.Target is null)
        {
            events.Add(new IncidentEvent.ActionSkipped(step.Name, attempt, $"skipped: {plan.Reason}"));
            return (events, []);
        }

        if (AlreadyMatches(context, plan.Target))
        {
            events.Add(new IncidentEvent.ActionSkipped(step.Name, attempt, $"skipped: the Deployment's template already matches revision {plan.Target.Revision}"));
            return (events, []);
        }

        return (events, [new Effect.RollBack(step.Name, attempt, plan.Target, Annotation(context, step.Name, attempt), DryRun: false, ForcesRecreate(context, step))]);
    }

    /// <summary>DryRun mode: record what the step would do and ask the shell for a server-side dry run.</summary>
    public static (List<IncidentEvent> Events, List<Effect> Effects) DryRun(IncidentContext context, RunbookStep step, int attempt, string why, DateTimeOffset now)
    {
        if (step.Action.Type != ActionType.RolloutUndo)
        {
            return ActionSteps.DryRun(context, step, attempt, why, now);
        }

        var plan = PlanRollback(context, step, now);
        if (plan.Target is null)
        {
            return ([new IncidentEvent.DryRunRecorded(step.Name, step.Action.Type, attempt, $"would skip: {plan.Reason}")], []);
        }

        var message = $"would roll back {context.Observed.Deployment.Name} to {plan.Reason}; {why}";
        return ([new IncidentEvent.DryRunRecorded(step.Name, step.Action.Type, attempt, message, Details(context, plan.Target))],
            [new Effect.RollBack(step.Name, attempt, plan.Target, Annotation(context, step.Name, attempt), DryRun: true)]);
    }

    /// <summary>
    /// A Pending intent after a restart: the restart-recovery rule says whether the change already happened
    /// (record it) or not (apply it once).
    /// </summary>
    public static (List<IncidentEvent> Events, List<Effect> Effects) Recover(IncidentContext context, ActionRecord pending)
    {
        var attempt = pending.Attempt ?? 1;
        var target = pending.Type == ActionType.RolloutUndo ? IntendedReplicaSet(context, pending) : null;
        var deployment = context.Observed.Deployment;
        var decision = RestartRecovery.Decide(context.IncidentName, context.Status, deployment.Annotation(WellKnown.ActionAnnotation),
            deployment.Template, target?.Template);
        if (decision.Kind == RecoveryKind.AlreadyApplied)
        {
            // The revert landed, but the stuck pods it was to free may not have been deleted before the crash: the shell
            // finds the revert applied and deletes what is still stuck (each delete conditional on the pod's uid).
            var step = context.Runbook.Steps.Find(s => s.Name == pending.Step);
            return target is not null && step is not null && ForcesRecreate(context, step)
                ? ([], [new Effect.RollBack(pending.Step, attempt, target, Annotation(context, pending.Step, attempt), DryRun: false, ForceRecreateStuckPods: true)])
                : ([decision.Event!], []);
        }

        if (pending.Type != ActionType.RolloutUndo)
        {
            return ActionSteps.Recover(context, pending, context.Runbook.Steps.Find(s => s.Name == pending.Step));
        }

        if (target is null)
        {
            return ([new IncidentEvent.ActionSkipped(pending.Step, attempt, "skipped: the intended revision no longer exists")], []);
        }

        return AlreadyMatches(context, target)
            ? ([new IncidentEvent.ActionSkipped(pending.Step, attempt, $"skipped: the Deployment's template already matches revision {target.Revision}")], [])
            : ([], [new Effect.RollBack(pending.Step, attempt, target, Annotation(context, pending.Step, attempt), DryRun: false,
                ForcesRecreate(context, context.Runbook.Steps.Find(s => s.Name == pending.Step)))]);
    }

    private static UndoTargetChoice PlanRollback(IncidentContext context, RunbookStep step, DateTimeOffset now)
    {
        var deployment = context.Observed.Deployment;
        var current = deployment.CurrentRevision ?? context.Detection.NewRevision ?? 0;
        return UndoTargetSelector.Select(step.Action.RolloutUndo?.To ?? UndoTarget.LastKnownGood, current,
            context.Observed.ReplicaSets, context.History, context.Policy.Detection.LastKnownGoodSoak, now);
    }

    private static Observations.ReplicaSetObservation? IntendedReplicaSet(IncidentContext context, ActionRecord pending) =>
        pending.Details?.TryGetValue(ActionRecords.ToReplicaSetKey, out var name) == true
            ? context.Observed.ReplicaSets.FirstOrDefault(rs => rs.Name == name)
            : null;

    private static bool AlreadyMatches(IncidentContext context, Observations.ReplicaSetObservation target) =>
        context.Observed.Deployment.Template is { } current && current.SameTemplateAs(target.Template);

    /// <summary>Only a StatefulSet's OrderedReady rollout waits on a stuck pod; the runbook must ask for the delete.</summary>
    private static bool ForcesRecreate(IncidentContext context, RunbookStep? step) =>
        step?.Action.RolloutUndo?.ForceRecreateStuckPods == true && context.Observed.Deployment.Kind == WorkloadKinds.StatefulSet;

    private static string Annotation(IncidentContext context, string step, int attempt) => RestartRecovery.AnnotationValue(context.IncidentName, step, attempt);

    private static Dictionary<string, string> Details(IncidentContext context, ReplicaSetObservation target)
    {
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ActionRecords.FromRevisionKey] = (context.Observed.Deployment.CurrentRevision ?? 0).ToString(CultureInfo.InvariantCulture),
            [ActionRecords.ToRevisionKey] = target.Revision.ToString(CultureInfo.InvariantCulture),
            [ActionRecords.ToReplicaSetKey] = target.Name,
        };


        // The images the rollback replaces and the ones it sets, decided with the intent: what a write-back to git
        // changes, known even when a restart finds the rollback applied without its outcome.
        if (context.Observed.Deployment.Template is { } current)
        {
            details[GitOps.MitigationChanges.FromImagesKey] = GitOps.MitigationChanges.FormatImages(current.Containers.Select(c => (c.Name, c.Image)));
        }

        if (target.Template is { } planned)
        {
            details[GitOps.MitigationChanges.ImagesKey] = GitOps.MitigationChanges.FormatImages(planned.Containers.Select(c => (c.Name, c.Image)));
        }

        return details;
    }
}
