using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Decisions;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Operator.Controllers;
using IncidentResponder.Runtime.Events;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Actions;

/// <summary>
/// Performs the core's effects, after their intent is written, and reports each outcome as the incident event the
/// state machine records. Escalation is a notice to people (Events); its record was already written by the core.
/// </summary>
public sealed class EffectRunner(RolloutUndo rolloutUndo, IncidentEventRecorder events, ILogger<EffectRunner> logger)
{
    public async Task<IReadOnlyList<IncidentEvent>> PerformAsync(Incident incident, V1ObjectReference target, Effect effect, CancellationToken cancellationToken)
    {
        switch (effect)
        {
            case Effect.RollBack rollBack:
                var outcome = await rolloutUndo.ExecuteAsync(target.NamespaceProperty, target.Name, rollBack, cancellationToken);
                logger.LogInformation("Incident {Incident} step {Step}: {Outcome}", incident.Metadata.Name, rollBack.Step, outcome.Message);
                return [Report(rollBack, outcome)];
            case Effect.RunAction { DryRun: true } run:
                // The core already recorded what the step would do; no server-side dry run exists for this action here.
                logger.LogInformation("Incident {Incident} step {Step}: {Action} recorded as a dry run", incident.Metadata.Name, run.Step, run.Action.Type);
                return [];
            case Effect.RunAction run:
                return [new IncidentEvent.ActionSkipped(run.Step, run.Attempt,
                    $"skipped: this operator acts with RolloutUndo, Escalate and Note steps; {run.Action.Type} needs a person")];
            case Effect.Notify notify:
                await events.RecordAsync(incident, target, new NarratedEvent(EventType.Warning, "EscalationNotice", "Escalate",
                    $"incident {incident.Metadata.Name} needs people: {notify.Message}"), cancellationToken);
                return [];
            default:
                throw new ArgumentOutOfRangeException(nameof(effect), effect, "unknown effect");
        }
    }

    private static IncidentEvent Report(Effect.RollBack rollBack, ActionOutcome outcome) => outcome switch
    {
        ActionOutcome.Applied applied => new IncidentEvent.ActionApplied(rollBack.Step, rollBack.Attempt, applied.Message, applied.Details),
        ActionOutcome.DryRun dryRun => new IncidentEvent.DryRunRecorded(rollBack.Step, ActionType.RolloutUndo, rollBack.Attempt, dryRun.Message, dryRun.Details),
        _ => new IncidentEvent.ActionSkipped(rollBack.Step, rollBack.Attempt, outcome.Message),
    };
}
