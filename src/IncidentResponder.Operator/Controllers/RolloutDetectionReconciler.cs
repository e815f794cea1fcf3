using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Revisions;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Controllers;

namespace IncidentResponder.Operator.Controllers;

/// <summary>
/// Keyed by one workload kind (Deployment, StatefulSet or DaemonSet): runs detection (with hysteresis) on every change of the Deployment, its ReplicaSets or pods,
/// and hands each confirmed signal to triage: rollout signals (rollback path) and, on a revision that did not just
/// change, OOM kills and restart storms (exhaustion path; triage classifies their severity by the exhaustion table).
/// </summary>
public sealed class RolloutDetectionReconciler(
    string kind,
    ClusterCache cache, PolicyResolver policies, TargetObserver observer, IncidentOpener opener, AvailabilityAnnotator annotator,
    DetectionOptions options, TimeProvider time) : IReconciler
{
    public const string Name = "rollout-detection";

    /// <summary>The controller's name for a kind: Deployments keep the original name, others are named after theirs.</summary>
    public static string NameFor(string kind) => kind == WorkloadKinds.Deployment ? Name : kind.ToLowerInvariant() + "-detection";

    /// <summary>Never poll faster than this, however close a hold is to expiring.</summary>
    private static readonly TimeSpan MinimumRequeue = TimeSpan.FromMilliseconds(50);

    public async Task<ReconcileResult> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        var ns = request.Namespace ?? string.Empty;
        var deployment = cache.Workload(ns, kind, request.Name);
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
        foreach (var signal in observation.Detection.RolloutSignals.Concat(observation.Detection.StableRevisionSignals.Where(IsExhaustion)))
        {
            if (GoverningPolicy.Route(policy, signal.Key.Type) is { } route)
            {
                await opener.OpenOrJoinAsync(deployment, observation, signal, effective, route.RunbookRef.Name, now, cancellationToken);
            }
        }

        // After the signals: evidence for a later rollback must never delay acting on this one. It is kept on
        // ReplicaSets; a StatefulSet's or DaemonSet's revisions (ControllerRevisions) rely on the operator's memory.
        if (kind == WorkloadKinds.Deployment
            && PersistedAvailability.ToRecord(observation.History, deployment.Observation.CurrentRevision, observation.Input.ReplicaSets) is { } evidence)
        {
            await annotator.RecordAsync(ns, evidence, cancellationToken);
        }

        return Requeue.For(DetectionLookAgain.After(observation.Detection, deployment.Observation, effective), now, options.PollInterval, MinimumRequeue);
    }

    /// <summary>
    /// Off the rollout path only resource exhaustion is acted on; other pod failures of an old revision (a crash loop
    /// nobody just caused) are not something a rollback or a scale fixes.
    /// </summary>
    private static bool IsExhaustion(DetectedSignal signal) => signal.Key.Type is SignalType.OOMKilled or SignalType.RestartStorm;
}
