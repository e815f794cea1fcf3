using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using IncidentResponder.Core.Decisions;
using IncidentResponder.Core.Incidents;
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
    IncidentContextBuilder contexts,
    IncidentStatusStore statuses,
    EffectRunner effects,
    IncidentEventRecorder events,
    IncidentOptions options,
    TimeProvider time,
    ILogger<IncidentReconciler> logger) : IReconciler
{
    public const string Name = "incident";

    public async Task<ReconcileResult> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        var incident = cache.Incident(request.Namespace ?? string.Empty, request.Name);
        if (incident?.Status?.Phase is null or IncidentPhase.Escalated
            || (incident.Status.Phase == IncidentPhase.Resolved && !RevertsPending(incident)))
        {
            return ReconcileResult.Done; // not opened yet (triage writes Opened), or closed with nothing left to undo
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
        var target = IncidentEventRecorder.DeploymentReference(context.IncidentNamespace, context.Observed.Deployment.Name, context.Observed.Deployment.Uid);
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
        }

        if (outcomes.Count > 0)
        {
            incident = await statuses.ApplyAsync(incident, outcomes, time.GetUtcNow(), cancellationToken);
            await events.RecordAsync(incident, target, outcomes, cancellationToken);
        }

        return NextLook(incident, context, time.GetUtcNow());
    }

    /// <summary>
    /// Open incidents are polled; a resolved one only until its scale-back or flip-back is done, waking exactly when
    /// its stability window ends.
    /// </summary>
    private ReconcileResult NextLook(Incident incident, IncidentContext context, DateTimeOffset now)
    {
        switch (incident.Status?.Phase)
        {
            case IncidentPhase.Escalated:
                return ReconcileResult.Done;
            case IncidentPhase.Resolved:
                if (incident.Status.Actions?.Any(a => a.Phase is ActionPhase.Pending or ActionPhase.Running) == true)
                {
                    return ReconcileResult.RequeueAfter(options.PollInterval);
                }

                var plan = RevertPlanner.Next(incident.Status, context.Runbook, context.Observed.Deployment, context.Actions, context.Policy.ActionCaps, now);
                return plan switch
                {
                    RevertPlan.None { DueAt: null } => ReconcileResult.Done,
                    RevertPlan.None { DueAt: { } due } => ReconcileResult.RequeueAfter(due > now ? due - now : options.PollInterval),
                    _ => ReconcileResult.RequeueAfter(options.PollInterval),
                };
            default:
                return ReconcileResult.RequeueAfter(options.PollInterval);
        }
    }

    /// <summary>
    /// A resolved incident with a revert in flight (its intent or its verification), or a change it made that its
    /// runbook may undo (scale back, flip back) and has not yet.
    /// </summary>
    private static bool RevertsPending(Incident incident) =>
        incident.Status?.Actions?.Any(a => a.Phase is ActionPhase.Pending or ActionPhase.Running) == true
        || incident.Status?.Actions?.Any(a => a.Type is ActionType.Scale or ActionType.FeatureFlag && !RevertPlanner.IsRevert(a)
            && a.Phase is ActionPhase.Succeeded or ActionPhase.Running or ActionPhase.Failed
            && !incident.Status.Actions.Exists(r => r.Step == RevertPlanner.StepName(a.Step) && r.Attempt == a.Attempt)) == true;
}
