using IncidentResponder.Core.Decisions;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.People;
using IncidentResponder.Operator.Actions;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Controllers;
using IncidentResponder.Runtime.Events;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Controllers;

/// <summary>
/// Keyed by Incident: one decision of the pure core per reconcile, applied in the order that makes a crash harmless:
/// write the decided status (with any intent) first, then perform the effects, then write their outcomes.
/// Open incidents are decided again on a poll, because verification windows and cooldowns end without API events.
/// </summary>
public sealed class IncidentReconciler(
    ClusterCache cache,
    IncidentDeclarer declarer,
    IncidentPeopleRequests people,
    IncidentContextBuilder contexts,
    IncidentStatusStore statuses,
    EffectRunner effects,
    IncidentEventRecorder events,
    IncidentOptions options,
    TimeProvider time,
    ILogger<IncidentReconciler> logger) : IReconciler
{
    public const string Name = "incident";

    /// <summary>A moment already due is looked at on the next poll, never in a tight loop.</summary>
    private static readonly TimeSpan MinimumRequeue = TimeSpan.FromMilliseconds(1);

    public async Task<ReconcileResult> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        var incident = cache.Incident(request.Namespace ?? string.Empty, request.Name);
        if (incident is null)
        {
            return ReconcileResult.Done;
        }

        if (incident.Status?.Phase is null)
        {
            // A person's incident is opened here; the operator's and the alert intake's are opened by their triage.
            if (!IncidentDeclaration.AwaitsDeclaration(incident.Spec, incident.Status))
            {
                return ReconcileResult.Done;
            }

            incident = await declarer.DeclareAsync(incident, time.GetUtcNow(), cancellationToken);
            if (incident is null)
            {
                return ReconcileResult.RequeueAfter(options.PollInterval); // the target is looked for again on the poll
            }
        }

        // People's requests come first, in every phase: a person may close, reopen or hand back any incident.
        (incident, var runbookMayAct) = await people.ApplyAsync(incident, time.GetUtcNow(), cancellationToken);
        if (!runbookMayAct || (incident.Status!.Phase.IsClosed() && !IncidentLookAgain.RevertsPending(incident.Status)))
        {
            return ReconcileResult.Done; // people hold it (a spec change brings it back), or closed with nothing left to undo
        }

        if (incident.Spec.RunbookRef is null)
        {
            // Nothing to run (an alert no policy routes, an incident a person declared without one): people own it.
            // Naming a Runbook later is a spec change, which brings the incident back here.
            return ReconcileResult.Done;
        }

        var now = time.GetUtcNow();
        var (context, missing) = await contexts.BuildAsync(incident, now, cancellationToken);
        if (context is null)
        {
            logger.LogInformation("Incident {Incident} waits: {Missing} not found", incident.Metadata.Name, missing);
            return ReconcileResult.RequeueAfter(options.PollInterval);
        }

        var decision = IncidentDecider.Decide(context, now);
        var target = IncidentEventRecorder.TargetReference(context.IncidentNamespace, context.Observed.Deployment);
        incident = await statuses.WriteDecisionAsync(incident, decision.Status, cancellationToken);
        await events.RecordAsync(incident, target, decision.Events, cancellationToken);

        var outcomes = new List<IncidentEvent>();
        foreach (var effect in decision.Effects)
        {
            var performed = await effects.PerformAsync(incident, target, effect, cancellationToken);
            outcomes.AddRange(performed.Events);
            if (performed.EscalationNotice is { } notice)
            {
                await events.RecordAsync(incident, target, new NarratedEvent(EventType.Warning, "EscalationNotice", "Escalate",
                    $"incident {incident.Metadata.Name} needs people: {notice}"), cancellationToken);
            }

            if (performed.Halt)
            {
                break;
            }
        }

        if (outcomes.Count > 0)
        {
            incident = await statuses.ApplyAsync(incident, outcomes, time.GetUtcNow(), cancellationToken);
            await events.RecordAsync(incident, target, outcomes, cancellationToken);
        }

        var lookedAt = time.GetUtcNow();
        return Requeue.For(IncidentLookAgain.After(incident.Status, context, lookedAt), lookedAt, options.PollInterval, MinimumRequeue);
    }
}
