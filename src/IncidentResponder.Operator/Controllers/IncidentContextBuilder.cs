using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Decisions;
using IncidentResponder.Core.Guardrails;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Probes;
using IncidentResponder.Core.Observations;
using IncidentResponder.Operator.Actions;
using IncidentResponder.Operator.GitOpsOwners;
using IncidentResponder.Operator.HealthProbes;
using IncidentResponder.Operator.Observation;

namespace IncidentResponder.Operator.Controllers;

/// <summary>Gathers everything the decider needs about one incident from the caches (and, for a pending intent, the API).</summary>
public sealed class IncidentContextBuilder(
    WorkloadApi workloads, ClusterCache cache, PolicyResolver policies, TargetObserver observer, HpaObserver hpas, FlagObserver flags, GitOpsObserver gitops,
    Probing probing, CronJobTargets cronJobs)
{
    /// <summary>The context, or null with the reason it cannot be built yet (runbook, policy or target missing).</summary>
    public async Task<(IncidentContext? Context, string Missing)> BuildAsync(Incident incident, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ns = incident.Metadata.NamespaceProperty;
        var runbook = incident.Spec.RunbookRef is { } runbookRef ? cache.Runbook(ns, runbookRef.Name) : null;
        var policy = incident.Spec.PolicyRef is { } policyRef ? cache.Policy(ns, policyRef.Name) : null;
        if (runbook is not null && policy is not null && incident.Spec.TargetRef.Kind == Core.Jobs.CronJobTriage.Kind)
        {
            return await cronJobs.BuildAsync(incident, runbook, policy, await flags.ObserveAsync(runbook.Spec, ns, cancellationToken), this, cancellationToken);
        }

        var kind = WorkloadKinds.Of(incident.Spec.TargetRef.Kind);
        var deployment = cache.Workload(ns, kind, incident.Spec.TargetRef.Name);
        if (runbook is null || policy is null || deployment is null)
        {
            var missing = runbook is null ? $"runbook {incident.Spec.RunbookRef?.Name ?? "(none)"}"
                : policy is null ? $"policy {incident.Spec.PolicyRef?.Name ?? "(none)"}"
                : $"{kind} {incident.Spec.TargetRef.Name}";
            return (null, missing);
        }

        // A pending intent is decided on the Deployment as the API server has it now: the cache may not show the
        // patch this very intent made a moment ago, and judging by it would patch a second time.
        var live = incident.Status is { } status && ActionRecords.InFlight(status) is { Phase: ActionPhase.Pending }
            ? (await workloads.ReadAsync(kind, ns, deployment.Name, cancellationToken))?.Cached.Observation
            : null;
        var effective = policies.Effective(policy);
        var observation = observer.Observe(deployment, live, effective, now);
        var context = Assemble(incident, runbook, policy, effective, observation.Input, observation.Detection, observation.History,
            (await hpas.ObserveAsync(runbook.Spec, ns, deployment.Name, cancellationToken)) with { Flags = await flags.ObserveAsync(runbook.Spec, ns, cancellationToken) },
            await gitops.ObserveAsync(deployment, cancellationToken),
            await ProbesAsync(incident, runbook.Spec, deployment.Name, cancellationToken));
        return (context, string.Empty);
    }

    /// <summary>The context of one incident from its target's observation: the rest (the namespace's actions, who is acting) is the same for every kind.</summary>
    internal IncidentContext Assemble(
        Incident incident, Runbook runbook, RemediationPolicy policy, Core.Policy.EffectivePolicy effective, Core.Detection.DetectionInput observed,
        Core.Detection.DetectionResult detection, Core.Revisions.RevisionHistory history, Core.Actions.ActionObservations actions, Core.GitOps.GitOpsObservation? gitOps,
        ProbeFacts? probes = null)
    {
        var incidents = cache.IncidentsIn(incident.Metadata.NamespaceProperty);
        return new IncidentContext(
            incident.Metadata.Name,
            incident.Metadata.NamespaceProperty,
            [.. (incident.Spec.Approvals ?? []).Select(a => a.Step)],
            incident.Status ?? new IncidentStatus(),
            runbook.Spec,
            effective,
            observed,
            detection,
            history,
            [.. incidents.SelectMany(i => ActionHistory.From(i.Metadata.Name, i.Spec.TargetRef.Name, i.Status?.Actions))],
            [.. incidents.Where(i => i.Spec.PolicyRef?.Name == policy.Metadata.Name && i.Status?.Phase == IncidentPhase.Mitigating).Select(i => i.Metadata.Name)],
            actions,
            gitOps,
            policy.Spec.GitOps,
            probes,
            incident.Spec.Regrade?.Severity);
    }

    /// <summary>
    /// The step in verification's verify.httpProbe, run now (only then: a GET per reconcile of a step that asks for it),
    /// and whether a policy probe still fails on the target.
    /// </summary>
    private async Task<ProbeFacts> ProbesAsync(Incident incident, RunbookSpec runbook, string deployment, CancellationToken cancellationToken)
    {
        var ns = incident.Metadata.NamespaceProperty;
        var running = incident.Status is { } status ? ActionRecords.InFlight(status) : null;
        var verify = running is { Phase: ActionPhase.Running } ? runbook.Steps.Find(s => s.Name == running.Step)?.Verify : null;
        ProbeVerdict? verdict = null;
        if (verify?.HttpProbe is { } probe && verify.Checks?.Contains(VerificationCheck.HttpProbe) == true)
        {
            var settings = ProbeSettings.From(probe);
            verdict = ProbeJudge.Judge(settings, await probing.Runner.RunAsync(ns, settings, cancellationToken));
        }

        return new ProbeFacts(verdict, probing.Streaks.AnyFailing(ns, deployment));
    }
}
