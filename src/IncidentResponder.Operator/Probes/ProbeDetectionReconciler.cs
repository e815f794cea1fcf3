using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Probes;
using IncidentResponder.Operator.Controllers;
using IncidentResponder.Operator.HealthProbes;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Controllers;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Probes;

/// <summary>
/// Keyed by Deployment: runs each probe of the governing policy when it is due, keeps its streak, and hands a streak
/// that reached its threshold to triage as a HealthCheckFailing signal. The core judges each answer and makes the
/// signal; this only performs the GETs and the writes.
/// </summary>
public sealed class ProbeDetectionReconciler(
    ClusterCache cache, PolicyResolver policies, TargetObserver observer, IncidentOpener opener, Probing probing, TimeProvider time,
    ILogger<ProbeDetectionReconciler> logger) : IReconciler
{
    public const string Name = "probe-detection";

    /// <summary>Never look again sooner than this, however close the next probe is.</summary>
    private static readonly TimeSpan MinimumRequeue = TimeSpan.FromMilliseconds(50);

    public async Task<ReconcileResult> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        var ns = request.Namespace ?? string.Empty;
        var deployment = cache.Deployment(ns, request.Name);
        var policy = deployment is null ? null : policies.Governing(deployment);
        var probes = (policy?.Spec.Probes ?? []).Select(PolicyProbeSettings.From).ToList();
        probing.Streaks.Retain(ns, request.Name, [.. probes.Select(p => p.Name)]);
        if (deployment is null || policy is null || probes.Count == 0)
        {
            return ReconcileResult.Done;
        }

        var nextDue = DateTimeOffset.MaxValue;
        foreach (var probe in probes)
        {
            var now = time.GetUtcNow();
            var entry = probing.Streaks.Get(ns, deployment.Name, probe.Name);
            if (entry is not null && now < entry.LastRun + probe.Interval)
            {
                nextDue = Min(nextDue, entry.LastRun + probe.Interval);
                continue;
            }

            var verdict = ProbeJudge.Judge(probe.Probe, await probing.Runner.RunAsync(ns, probe.Probe, cancellationToken));
            var streak = (entry?.Streak ?? ProbeStreak.None).Next(verdict, now);
            probing.Streaks.Set(ns, deployment.Name, probe.Name, new ProbeStreaks.Entry(streak, now));
            nextDue = Min(nextDue, now + probe.Interval);
            LogChange(deployment, probe, entry?.Streak, streak);
            await OpenIfConfirmedAsync(deployment, policy, probe, streak, cancellationToken);
        }

        var delay = nextDue - time.GetUtcNow();
        return ReconcileResult.RequeueAfter(delay < MinimumRequeue ? MinimumRequeue : delay);
    }

    private async Task OpenIfConfirmedAsync(CachedDeployment deployment, RemediationPolicy policy, PolicyProbeSettings probe, ProbeStreak streak,
        CancellationToken cancellationToken)
    {
        if (!streak.Confirmed(probe.FailureThreshold) || GoverningPolicy.Route(policy, SignalType.HealthCheckFailing) is not { } route)
        {
            return;
        }

        var now = time.GetUtcNow();
        var effective = policies.Effective(policy);
        var observation = observer.Observe(deployment, null, effective, now);
        if (ProbeSignal.From(probe, streak, observation.Input, observation.Detection) is { } signal)
        {
            await opener.OpenOrJoinAsync(deployment, observation, signal, effective, route.RunbookRef.Name, now, cancellationToken);
        }
    }

    /// <summary>A probe that starts or stops failing is logged once, with what it saw; every failure's reason reaches the incident.</summary>
    private void LogChange(CachedDeployment deployment, PolicyProbeSettings probe, ProbeStreak? before, ProbeStreak after)
    {
        if ((before?.Failing ?? false) == after.Failing)
        {
            return;
        }

        if (after.Failing)
        {
            logger.LogWarning("Probe {Probe} on {Namespace}/{Deployment} fails: {Reason}", probe.Name, deployment.Namespace, deployment.Name, after.Last?.Reason);
        }
        else
        {
            logger.LogInformation("Probe {Probe} on {Namespace}/{Deployment} passes again: {Reason}", probe.Name, deployment.Namespace, deployment.Name, after.Last?.Reason);
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
