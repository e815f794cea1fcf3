using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Decisions;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Operator.Actions;
using IncidentResponder.Operator.Hosting;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Controllers;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Controllers;

/// <summary>
/// Keyed by Incident: one decision of the pure core per reconcile, applied in the order that makes a crash harmless:
/// write the decided status (with any intent) first, then perform the effects, then write their outcomes.
/// Open incidents are decided again on a poll, because verification windows and cooldowns end without API events.
/// </summary>
public sealed class IncidentController(
    ClusterCache cache,
    IncidentContextBuilder contexts,
    IncidentStatusStore statuses,
    EffectRunner effects,
    IncidentEventRecorder events,
    OperatorOptions options,
    TimeProvider time,
    ILogger<IncidentController> logger) : IReconciler
{
    public const string Name = "incident";

    public async Task<ReconcileResult> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        var incident = cache.Incident(request.Namespace ?? string.Empty, request.Name);
        if (incident?.Status?.Phase is null or IncidentPhase.Resolved or IncidentPhase.Escalated)
        {
            return ReconcileResult.Done; // not opened yet (triage writes Opened), or closed
        }

        var now = time.GetUtcNow();
        var (context, missing) = await contexts.BuildAsync(incident, now, cancellationToken);
        if (context is null)
        {
            logger.LogInformation("Incident {Incident} waits: {Missing} not found", incident.Metadata.Name, missing);
            return ReconcileResult.RequeueAfter(options.IncidentPollInterval);
        }

        var decision = IncidentDecider.Decide(context, now);
        var target = IncidentEventRecorder.DeploymentReference(context.IncidentNamespace, context.Observed.Deployment.Name, context.Observed.Deployment.Uid);
        incident = await statuses.WriteDecisionAsync(incident, decision.Status, cancellationToken);
        await events.RecordAsync(incident, target, decision.Events, cancellationToken);

        var outcomes = new List<IncidentEvent>();
        foreach (var effect in decision.Effects)
        {
            outcomes.AddRange(await effects.PerformAsync(incident, target, effect, cancellationToken));
        }

        if (outcomes.Count > 0)
        {
            incident = await statuses.ApplyAsync(incident, outcomes, time.GetUtcNow(), cancellationToken);
            await events.RecordAsync(incident, target, outcomes, cancellationToken);
        }

        return incident.Status?.Phase is IncidentPhase.Resolved or IncidentPhase.Escalated
            ? ReconcileResult.Done
            : ReconcileResult.RequeueAfter(options.IncidentPollInterval);
    }
}
