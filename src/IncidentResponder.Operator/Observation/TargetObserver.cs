using System.Collections.Concurrent;
using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Exhaustion;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Revisions;

namespace IncidentResponder.Operator.Observation;

/// <summary>A target as seen at one instant: the detector's input and result, and the revision records.</summary>
public sealed record TargetObservation(DetectionInput Input, DetectionResult Detection, RevisionHistory History);

/// <summary>
/// Builds the core's detection input for one workload (Deployment, StatefulSet, DaemonSet) from the caches, runs the detector with the target's
/// hysteresis memory and folds the observation into its revision history. Both the detection and the incident
/// controllers observe through here, so they share one hold clock and one history per target. Node OOMKilling events
/// of the nodes the target's pods run on go in too: an OOM whose reason the container status lost is still an OOM.
/// </summary>
public sealed class TargetObserver(ClusterCache cache, NodeOomWindow nodeOoms)
{
    private readonly ConcurrentDictionary<(string, string), TargetMemory> _targets = new();

    /// <param name="liveDeployment">A Deployment observation read from the API just now, to use instead of the cache's.</param>
    public TargetObservation Observe(CachedDeployment deployment, DeploymentObservation? liveDeployment, EffectivePolicy policy, DateTimeOffset now)
    {
        var memory = _targets.GetOrAdd((deployment.Namespace, deployment.Name), _ => new TargetMemory());
        var cachedRevisions = cache.RevisionsOf(deployment);
        var cachedPods = cache.PodsOfWorkload(deployment, cachedRevisions).Where(p => !p.Terminating).ToList();
        var pods = cachedPods.Select(p => p.Observation).ToList();
        var revisions = ControllerRevisionCounts.Fill(deployment.Observation.Kind, [.. cachedRevisions.Select(r => r.Observation)], pods);
        var observed = ControllerRevisionCounts.WithCurrentRevision(liveDeployment ?? deployment.Observation, deployment.UpdateRevision, revisions);
        var placements = cachedPods.Select(p => new PodPlacement(p.Name, p.Uid, p.NodeName)).ToList();
        // Older events cannot count: the classifier takes a node kill as evidence only within the OOM lookback.
        var nodeEvents = nodeOoms.Recent(placements.Select(p => p.Node), now - PodSignalClassifier.OomLookback);
        lock (memory.Gate)
        {
            if (observed.CurrentRevision != memory.LastRevision)
            {
                memory.RevisionChangedAt = memory.LastRevision is null ? null : now;
                memory.LastRevision = observed.CurrentRevision;
            }

            var input = new DetectionInput(observed, revisions, pods, memory.RevisionChangedAt);
            var history = KnownBadRevisions(deployment).Aggregate(memory.History.Observe(observed, now), (h, revision) => h.MarkBad(revision, now));
            // The exhaustion detector is a superset of the rollout one: the same rollout signals, plus OOM kills and
            // restart storms on a revision that did not just change (the exhaustion path).
            var detection = ExhaustionDetector.Detect(new ExhaustionInput(input, nodeEvents, placements), policy.Detection, ExhaustionThresholds.Default,
                memory.Hysteresis, memory.Restarts, now);
            var result = detection.Result;
            memory.Hysteresis = result.State;
            memory.Restarts = detection.Restarts;
            memory.History = history;
            memory.Last = new DetectionSnapshot(now, result.NewRevision, result.Confirmed.Count, result.Pending.Count);
            return new TargetObservation(input, result, history);
        }
    }

    /// <summary>
    /// Triage blamed a revision (the core's protocol, step 2). Kept in memory from the moment of detection; the
    /// incident's record makes it survive a restart once a rollback moves away from it (<see cref="BlamedRevisions"/>).
    /// </summary>
    public void MarkBad(string ns, string name, long revision, DateTimeOffset now)
    {
        var memory = _targets.GetOrAdd((ns, name), _ => new TargetMemory());
        lock (memory.Gate)
        {
            memory.History = memory.History.MarkBad(revision, now);
        }
    }

    /// <summary>The last detection of a target, if it was observed.</summary>
    public DetectionSnapshot? Last(string ns, string name) =>
        _targets.TryGetValue((ns, name), out var memory) ? memory.Last : null;

    /// <summary>The target is gone: forget its hold clock and history.</summary>
    public void Forget(string ns, string name) => _targets.TryRemove((ns, name), out _);

    /// <summary>Revisions an incident blamed: never roll back to them. Read from the records so a restart keeps them.</summary>
    private IEnumerable<long> KnownBadRevisions(CachedDeployment deployment) =>
        cache.IncidentsOf(deployment.Namespace, deployment.Name)
            .Where(i => WorkloadKinds.Of(i.Spec.TargetRef.Kind) == deployment.Observation.Kind)
            .SelectMany(i => BlamedRevisions.Of(i.Status))
            .Distinct();
}
