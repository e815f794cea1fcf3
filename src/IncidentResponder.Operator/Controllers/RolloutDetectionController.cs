using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Policy;
using IncidentResponder.Operator.Hosting;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Controllers;

namespace IncidentResponder.Operator.Controllers;

/// <summary>
/// Keyed by Deployment: runs detection (with hysteresis) on every change of the Deployment, its ReplicaSets or pods,
/// and hands each confirmed rollout signal to triage. Signals on an unchanged revision are left to the exhaustion path.
/// </summary>
public sealed class RolloutDetectionController(
    ClusterCache cache, PolicyResolver policies, TargetObserver observer, IncidentOpener opener, OperatorOptions options, TimeProvider time) : IReconciler
{
    public const string Name = "rollout-detection";

    /// <summary>Never poll faster than this, however close a hold is to expiring.</summary>
    private static readonly TimeSpan MinimumRequeue = TimeSpan.FromMilliseconds(50);

    public async Task<ReconcileResult> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        var ns = request.Namespace ?? string.Empty;
        var deployment = cache.Deployment(ns, request.Name);
        if (deployment is null)
        {
            observer.Forget(ns, request.Name);
            return ReconcileResult.Done;
        }

        if (policies.Governing(deployment) is not { } policy)
        {
            return ReconcileResult.Done;
        }

        var effective = policies.Effective(policy);
        var now = time.GetUtcNow();
        var observation = observer.Observe(deployment, null, effective, now);
        foreach (var signal in observation.Detection.RolloutSignals)
        {
            if (PolicyResolver.Route(policy, signal.Key.Type) is { } route)
            {
                await opener.OpenOrJoinAsync(deployment, observation, signal, effective, route.RunbookRef.Name, now, cancellationToken);
            }
        }

        return NextLook(deployment, observation.Detection, effective, now);
    }

    /// <summary>
    /// Come back exactly when the first pending hold expires; otherwise poll while the Deployment is unsettled, because
    /// readiness grace and OOM recency change the verdict without any API event; a settled Deployment waits for events.
    /// </summary>
    private ReconcileResult NextLook(CachedDeployment deployment, DetectionResult detection, EffectivePolicy policy, DateTimeOffset now)
    {
        var holdExpires = detection.Pending.Select(p => p.FirstSeen + policy.Detection.HoldFor - now).DefaultIfEmpty(TimeSpan.MaxValue).Min();
        var settled = deployment.Observation.FullyAvailable && !RolloutRecency.IsMidRollout(deployment.Observation);
        var poll = settled ? TimeSpan.MaxValue : options.ObservePollInterval;
        var next = holdExpires < poll ? holdExpires : poll;
        return next == TimeSpan.MaxValue ? ReconcileResult.Done : ReconcileResult.RequeueAfter(next < MinimumRequeue ? MinimumRequeue : next);
    }
}
