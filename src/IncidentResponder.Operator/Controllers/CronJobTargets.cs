using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using IncidentResponder.Core.Decisions;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Revisions;
using IncidentResponder.Operator.Observation;
using k8s;

namespace IncidentResponder.Operator.Controllers;

/// <summary>
/// The decider's context for an incident about a CronJob: the CronJob and its runs as the workload
/// (<see cref="Core.Jobs.CronJobWorkload"/>). No HPA scales a CronJob and no GitOps owner is looked for; flags are.
/// </summary>
public sealed class CronJobTargets(IKubernetes client, CronJobCache cronJobs, PolicyResolver policies)
{
    private readonly CronJobObserver _observer = new(cronJobs);

    /// <summary>The context, or null with "CronJob name" when the CronJob is not (yet) in the cache.</summary>
    internal async Task<(IncidentContext? Context, string Missing)> BuildAsync(
        Incident incident, Runbook runbook, RemediationPolicy policy, ValueList<FlagObservation> flags, IncidentContextBuilder contexts, CancellationToken cancellationToken)
    {
        var ns = incident.Metadata.NamespaceProperty;
        var name = incident.Spec.TargetRef.Name;
        if (cronJobs.CronJob(ns, name) is not { } cronJob)
        {
            return (null, $"CronJob {name}");
        }

        // A pending intent is decided on the CronJob as the API server has it now: the cache may not show the patch
        // this very intent made a moment ago, and judging by it would patch a second time.
        var live = incident.Status is { } status && ActionRecords.InFlight(status) is { Phase: ActionPhase.Pending }
            ? CronJobProjections.CronJob(await client.BatchV1.ReadNamespacedCronJobAsync(name, ns, cancellationToken: cancellationToken)).Observation
            : null;
        var observation = _observer.Observe(cronJob, live);
        var context = contexts.Assemble(incident, runbook, policy, policies.Effective(policy), observation.Input, observation.Result, RevisionHistory.Empty,
            ActionObservations.None with { Flags = flags }, gitOps: null);
        return (context, string.Empty);
    }
}
