using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Metrics;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Time;
using IncidentResponder.Operator.Controllers;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Controllers;

namespace IncidentResponder.Operator.MetricsAnalysis;

/// <summary>
/// Keyed by Deployment: asks the governing policy's Prometheus each check's query (the serving revision's, and after
/// a rollout the previous revision's), lets the core judge, keeps each hold's start, hands a check that held for its
/// 'for' to the same opener as every other signal, clears the signal on the incident once the check stops holding,
/// and says in the policy's status and the readiness check when Prometheus cannot be asked. It decides nothing itself.
/// </summary>
public sealed class MetricsAnalysisReconciler(
    ClusterCache cache,
    PolicyResolver policies,
    TargetObserver observer,
    IncidentOpener opener,
    IncidentStatusStore statuses,
    PrometheusQueries prometheus,
    MetricHolds holds,
    MetricsAvailability availability,
    MetricsAnalysisOptions options,
    TimeProvider time) : IReconciler
{
    public const string Name = "metrics-analysis";

    public async Task<ReconcileResult> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        var ns = request.Namespace ?? string.Empty;
        var deployment = cache.Deployment(ns, request.Name);
        var policy = deployment is null ? null : policies.Governing(deployment);
        if (deployment is null || policy?.Spec.Metrics is not { } metrics)
        {
            holds.Forget(ns, request.Name);
            return ReconcileResult.Done;
        }

        var effective = policies.Effective(policy);
        var now = time.GetUtcNow();
        var observation = observer.Observe(deployment, null, effective, now);
        var pending = new List<(DateTimeOffset, TimeSpan)>();
        string? unavailable = null, rejected = null;
        foreach (var plan in MetricTargets.Plan(metrics, observation.Input, observation.Detection.RecentRollout))
        {
            var check = plan.Check;
            var worstIsHighest = MetricCheckEvaluator.WorstIsHighest(check);
            var current = await prometheus.AskAsync(ns, metrics.Prometheus, plan.Current, worstIsHighest, cancellationToken);
            var previous = plan.Previous is { } query ? await prometheus.AskAsync(ns, metrics.Prometheus, query, worstIsHighest, cancellationToken) : null;
            if ((Problem(current) ?? Problem(previous)) is { } problem)
            {
                // No judgement without an answer: the hold starts again, and no incident opens on a blind check.
                (unavailable, rejected) = problem.Rejected
                    ? (unavailable, rejected ?? $"check {check.Name}: {problem.Message}")
                    : (unavailable ?? $"check {check.Name}: {problem.Message}", rejected);
                holds.Set(ns, deployment.Name, check.Name, plan.Revision, null);
                continue;
            }

            var verdict = MetricCheckEvaluator.Evaluate(check, Number(current), Number(previous));
            var since = MetricHold.Advance(holds.Get(ns, deployment.Name, check.Name, plan.Revision), verdict.Holds, now);
            holds.Set(ns, deployment.Name, check.Name, plan.Revision, since);
            var holdFor = GoDuration.ParseOrDefault(check.For, TimeSpan.FromMinutes(1));
            if (verdict.Value is not null && !verdict.Crossing)
            {
                await ClearAsync(ns, deployment.Name, check.Name, now, cancellationToken);
            }

            if (MetricHold.Confirmed(since, holdFor, now) && GoverningPolicy.Route(policy, check.Signal) is { } route)
            {
                var signal = MetricSignals.Raise(ns, deployment.Name, plan, verdict, since!.Value);
                await opener.OpenOrJoinAsync(deployment, observation, signal, effective, route.RunbookRef.Name, now, cancellationToken);
            }
            else if (since is { } start)
            {
                pending.Add((start, holdFor));
            }
        }

        await availability.ReportAsync(policy, new MetricsProblems(unavailable, rejected), cancellationToken);
        var interval = GoDuration.ParseOrDefault(metrics.Interval, TimeSpan.FromSeconds(30));
        var delay = MetricsLookAgain.After(now, interval, pending) - now;
        return ReconcileResult.RequeueAfter(delay < options.MinimumInterval ? options.MinimumInterval : delay);
    }

    private static (bool Rejected, string Message)? Problem(PrometheusAnswer? answer) => answer switch
    {
        PrometheusAnswer.Rejected r => (true, r.Message),
        PrometheusAnswer.Unavailable u => (false, u.Message),
        _ => null,
    };

    private static double? Number(PrometheusAnswer? answer) => answer is PrometheusAnswer.Value v ? v.Number : null;

    /// <summary>The check no longer holds on the serving revision: every signal it raised on the target's incidents clears.</summary>
    private async Task ClearAsync(string ns, string deployment, string check, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var prefix = MetricSignals.Fingerprint(deployment, check, null);
        foreach (var incident in cache.IncidentsOf(ns, deployment))
        {
            var open = (incident.Status?.Signals ?? [])
                .Where(s => s.Cleared != true && (s.Fingerprint == prefix || s.Fingerprint.StartsWith(prefix + "/", StringComparison.Ordinal)))
                .Select(s => (IncidentEvent)new IncidentEvent.SignalCleared(s.Fingerprint))
                .ToList();
            if (open.Count > 0)
            {
                await statuses.ApplyAsync(incident, open, now, cancellationToken);
            }
        }
    }
}
