using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Notifications;
using IncidentResponder.Core.Policy;
using IncidentResponder.Operator.Controllers;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Controllers;
using IncidentResponder.Runtime.Status;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Notifications;

/// <summary>
/// Keyed by Incident, on its own queue: a slow or dead receiver never delays remediation, which another controller
/// does. Each reconcile asks the pure planner what is due for each of the policy's targets, delivers those updates
/// (targets in parallel), writes the outcomes to <c>status.notifications</c> (and the notable ones to the timeline),
/// and comes back when the next periodic update or retry is due.
/// Delivery is at least once: the record is written after the send, so a crash between the two sends that update
/// again on restart. A webhook receiver can drop it by the CloudEvent id (the same for the re-send); PagerDuty
/// folds it into the same alert by dedup_key; a Slack channel sees it twice.
/// </summary>
public sealed class NotificationReconciler(
    ClusterCache cache,
    PolicyResolver policies,
    NotificationSender sender,
    IResourceClient<Incident> incidents,
    StatusWriter<Incident> statuses,
    NotificationMetrics metrics,
    NotifierHealth health,
    NotificationOptions options,
    TimeProvider time,
    ILogger<NotificationReconciler> logger) : IReconciler
{
    public const string Name = "notification";

    public async Task<ReconcileResult> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        var ns = request.Namespace ?? string.Empty;
        var incident = cache.Incident(ns, request.Name);
        if (incident?.Status?.Phase is null || PolicyOf(incident)?.Spec.Notifications is not { Targets: { Count: > 0 } targets } settings)
        {
            return ReconcileResult.Done;
        }

        var contacts = incident.Spec.RunbookRef is { } runbook ? cache.Runbook(ns, runbook.Name)?.Spec.Escalation?.Contacts ?? [] : [];
        var now = time.GetUtcNow();
        if (targets.Any(target => NotificationPlanner.Plan(Input(incident, target, settings.Cadence, contacts), now) is NotificationPlan.Send))
        {
            // Something is due by the cache; send by the API server's copy. The cache may not show the record this
            // controller wrote a moment ago, and planning on it would send the same update a second time.
            incident = await incidents.GetAsync(ns, request.Name, cancellationToken).ConfigureAwait(false);
            if (incident?.Status?.Phase is null)
            {
                return ReconcileResult.Done;
            }
        }

        var deliveries = await Task.WhenAll(targets.Select(target =>
            DeliverAsync(incident, target, Input(incident, target, settings.Cadence, contacts), now, cancellationToken))).ConfigureAwait(false);

        var records = deliveries.Where(d => d.Record is not null).Select(d => d.Record!).ToList();
        if (records.Count > 0)
        {
            var entries = deliveries.Where(d => d.Entry is not null).Select(d => d.Entry!).ToList();
            var names = targets.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
            incident = (await statuses.UpdateAsync(incident, i =>
            {
                i.Status ??= new IncidentStatus();
                NotificationTimeline.Apply(i.Status, records, entries, names);
            }, cancellationToken).ConfigureAwait(false)).Object;
        }

        return NextLook(incident, targets, settings.Cadence, contacts);
    }

    private async Task<(NotificationRecord? Record, TimelineEntry? Entry)> DeliverAsync(
        Incident incident, NotificationTarget target, NotificationInput input, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (NotificationPlanner.Plan(input, now) is not NotificationPlan.Send send)
        {
            return (null, null);
        }

        var ns = incident.Metadata.NamespaceProperty;
        var outcome = await sender.SendAsync(ns, target, send.Update, send.Delivered.UpdatesSent ?? 1, cancellationToken).ConfigureAwait(false);
        var after = time.GetUtcNow();
        switch (outcome)
        {
            case DeliveryOutcome.Delivered delivered:
                metrics.Sent(target.Type);
                health.Delivered(ns, target.Name);
                logger.LogInformation("Incident {Namespace}/{Incident}: {Headline} delivered to {Target} ({Type}) in {Attempts} attempt(s)",
                    ns, incident.Metadata.Name, send.Update.Headline, target.Name, target.Type, delivered.Attempts);
                return (send.Delivered, NotificationTimeline.Delivered(target, send.Update, input.Record, after));
            case DeliveryOutcome.Failed failed:
                metrics.Failed(target.Type, failed.Reason);
                health.Failed(ns, target.Name);
                logger.LogWarning("Incident {Namespace}/{Incident}: update to {Target} ({Type}) failed: {Error}",
                    ns, incident.Metadata.Name, target.Name, target.Type, failed.Message);
                var record = NotificationPlanner.Failed(input.Record, target, failed.Message, after);
                var closed = incident.Status!.Phase is IncidentPhase.Resolved or IncidentPhase.Cancelled or IncidentPhase.Escalated;
                return (record, NotificationTimeline.Failed(target, record, closed, after));
            default:
                throw new InvalidOperationException($"unknown delivery outcome {outcome}");
        }
    }

    /// <summary>Back when the earliest periodic update or retry is due; at once if something became due meanwhile.</summary>
    private ReconcileResult NextLook(Incident incident, IReadOnlyList<NotificationTarget> targets, NotificationCadence? cadence, IReadOnlyList<string> contacts)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? next = null;
        foreach (var target in targets)
        {
            switch (NotificationPlanner.Plan(Input(incident, target, cadence, contacts), now))
            {
                case NotificationPlan.Send:
                    next = now;
                    break;
                case NotificationPlan.Wait wait when next is null || wait.At < next:
                    next = wait.At;
                    break;
            }
        }

        return next is { } at ? ReconcileResult.RequeueAfter(at > now ? at - now : TimeSpan.FromMilliseconds(1)) : ReconcileResult.Done;
    }

    private NotificationInput Input(Incident incident, NotificationTarget target, NotificationCadence? cadence, IReadOnlyList<string> contacts) => new(
        incident.Metadata.NamespaceProperty, incident.Metadata.Name, incident.Metadata.Uid, incident.Spec, incident.Status ?? new IncidentStatus(), target, cadence,
        incident.Status?.Notifications?.Find(r => r.Target == target.Name), contacts, options.FirstFailureBackoff, OpenWindow(incident));

    /// <summary>The maintenance window of the incident's policy open now: paging waits for its end.</summary>
    private OpenMaintenanceWindow? OpenWindow(Incident incident) =>
        PolicyOf(incident) is { } policy ? MaintenanceWindows.From(policy.Spec.MaintenanceWindows).OpenAt(time.GetUtcNow()) : null;

    /// <summary>The policy the incident names; an incident declared without one falls under its target's governing policy.</summary>
    private RemediationPolicy? PolicyOf(Incident incident)
    {
        var ns = incident.Metadata.NamespaceProperty;
        if (incident.Spec.PolicyRef is { } policyRef)
        {
            return cache.Policy(ns, policyRef.Name);
        }

        return cache.Deployment(ns, incident.Spec.TargetRef.Name) is { } deployment ? policies.Governing(deployment) : null;
    }
}
