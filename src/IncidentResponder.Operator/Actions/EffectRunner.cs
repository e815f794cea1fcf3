using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using IncidentResponder.Core.Decisions;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Jobs;
using IncidentResponder.Operator.GitOpsOwners;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Actions;

/// <summary>
/// Performs the core's effects, after their intent is written, and reports each outcome as the incident events the
/// state machine records. Escalation is a notice to people that the caller publishes; its record was already written
/// by the core. Records nothing itself: the reconciler writes the outcomes and the Events.
/// </summary>
public sealed class EffectRunner(
    RolloutUndo rolloutUndo, ControllerRevisionUndo revisionUndo, MemoryLimitRaise memoryRaise, DeploymentScale deploymentScale, HpaScale hpaScale, RolloutRestart rolloutRestart, ConfigMapFlag configMapFlag,
    OpenFeatureFlag openFeatureFlag, HttpFlag httpFlag, OwnerPatcher owners, ILogger<EffectRunner> logger)
{
    public async Task<EffectOutcome> PerformAsync(Incident incident, V1ObjectReference target, Effect effect, CancellationToken cancellationToken)
    {
        switch (effect)
        {
            case Effect.RollBack rollBack when target.Kind == CronJobTriage.Kind:
                return new EffectOutcome([new IncidentEvent.ActionSkipped(rollBack.Step, rollBack.Attempt,
                    $"skipped: a {target.Kind} has no rollout to undo; the runbook's next step or a person takes over")]);
            case Effect.RollBack rollBack:
                // The kind picks how a rollback is made: from a ReplicaSet (Deployment) or a ControllerRevision.
                var outcome = WorkloadKinds.KeepsControllerRevisions(target.Kind)
                    ? await revisionUndo.ExecuteAsync(target.Kind, target.NamespaceProperty, target.Name, rollBack, cancellationToken)
                    : await rolloutUndo.ExecuteAsync(target.NamespaceProperty, target.Name, rollBack, cancellationToken);
                logger.LogInformation("Incident {Incident} step {Step}: {Outcome}", incident.Metadata.Name, rollBack.Step, outcome.Message);
                return new EffectOutcome([Report(rollBack.Step, rollBack.Attempt, ActionType.RolloutUndo, outcome)]);
            case Effect.RunAction { Change: { } change } run when Performer(change, target.Kind) is { } perform:
                var performed = await perform(target.NamespaceProperty, run.ActionAnnotation, run.DryRun, cancellationToken);
                logger.LogInformation("Incident {Incident} step {Step}: {Outcome}", incident.Metadata.Name, run.Step, performed.Message);
                return new EffectOutcome([Report(run.Step, run.Attempt, run.Action.Type, performed)]);
            case Effect.RunAction { DryRun: true } run:
                // The core already recorded what the step would do; this action has no server-side dry run here yet.
                logger.LogInformation("Incident {Incident} step {Step}: {Action} recorded as a dry run", incident.Metadata.Name, run.Step, run.Action.Type);
                return EffectOutcome.None;
            case Effect.RunAction run:
                return new EffectOutcome([new IncidentEvent.ActionSkipped(run.Step, run.Attempt,
                    $"skipped: this operator acts with RolloutUndo, RaiseMemoryLimit, Scale, RestartRollout, FeatureFlag, Escalate and Note steps; {run.Action.Type} needs a person")]);
            case Effect.Revert revert when Performer(revert.Change, target.Kind) is { } undo:
                // A revert is never a dry run: it undoes a change this incident really made.
                var reverted = await undo(target.NamespaceProperty, revert.ActionAnnotation, false, cancellationToken);
                logger.LogInformation("Incident {Incident} step {Step}: {Outcome}", incident.Metadata.Name, revert.Step, reverted.Message);
                return new EffectOutcome([Report(revert.Step, revert.Attempt, revert.Change switch
                {
                    ActionChange.FlipFlag => ActionType.FeatureFlag,
                    ActionChange.SetMemoryLimit => ActionType.RaiseMemoryLimit,
                    _ => ActionType.Scale,
                }, reverted)]);
            case Effect.Revert revert:
                return new EffectOutcome([new IncidentEvent.ActionSkipped(revert.Step, revert.Attempt, $"skipped: this operator cannot yet undo {revert.Change.Describe()}; a person restores it")]);
            case Effect.PauseOwner pause:
                var paused = await owners.PauseAsync(pause.Owner, pause.PausePatch, pause.PausedBy, cancellationToken);
                logger.LogInformation("Incident {Incident} step {Step}: {Outcome}", incident.Metadata.Name, pause.Step, paused.Message);
                return paused.Done
                    ? new EffectOutcome([new IncidentEvent.OwnerPaused(paused.Message)])
                    : new EffectOutcome([new IncidentEvent.ActionSkipped(pause.Step, pause.Attempt, $"not acting: {paused.Message}; acting without the pause would be undone")], Halt: true);
            case Effect.Notify notify:
                return EffectOutcome.Escalation(notify.Message);
            default:
                throw new ArgumentOutOfRangeException(nameof(effect), effect, "unknown effect");
        }
    }

    /// <summary>
    /// The shell's half of an action change: the API calls that make it, or null when this operator cannot yet. A
    /// CronJob target takes only a memory raise of its job template and flag flips; the Deployment changes (scale,
    /// restart) name no object of it.
    /// </summary>
    private Func<string, string, bool, CancellationToken, Task<ActionOutcome>>? Performer(ActionChange change, string kind) => change switch
    {
        ActionChange.SetMemoryLimit memory => (ns, marker, dryRun, ct) => memoryRaise.ExecuteAsync(kind, ns, memory, marker, dryRun, ct),
        ActionChange.FlipFlag { Provider: FeatureFlagProviderType.ConfigMap } flag => (ns, _, dryRun, ct) => configMapFlag.ExecuteAsync(ns, flag, dryRun, ct),
        ActionChange.FlipFlag { Provider: FeatureFlagProviderType.OpenFeature } flag => (ns, _, dryRun, ct) => openFeatureFlag.ExecuteAsync(ns, flag, dryRun, ct),
        ActionChange.FlipFlag { Provider: FeatureFlagProviderType.Http } flag => (ns, _, dryRun, ct) => httpFlag.ExecuteAsync(ns, flag, dryRun, ct),
        _ when kind == CronJobTriage.Kind => null,
        ActionChange.ScaleDeployment scale => (ns, marker, dryRun, ct) => deploymentScale.ExecuteAsync(kind, ns, scale, marker, dryRun, ct),
        ActionChange.ScaleHpa hpa => (ns, _, dryRun, ct) => hpaScale.ExecuteAsync(ns, hpa, dryRun, ct),
        ActionChange.RestartRollout restart => (ns, marker, dryRun, ct) => rolloutRestart.ExecuteAsync(ns, restart, marker, dryRun, ct),
        _ => null,
    };

    private static IncidentEvent Report(string step, int attempt, ActionType type, ActionOutcome outcome) => outcome switch
    {
        ActionOutcome.Applied applied => new IncidentEvent.ActionApplied(step, attempt, applied.Message, applied.Details),
        ActionOutcome.DryRun dryRun => new IncidentEvent.DryRunRecorded(step, type, attempt, dryRun.Message, dryRun.Details),
        _ => new IncidentEvent.ActionSkipped(step, attempt, outcome.Message),
    };
}
