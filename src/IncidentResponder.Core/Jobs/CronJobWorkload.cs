using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Observations;

namespace IncidentResponder.Core.Jobs;

/// <summary>
/// A CronJob as the decider sees a workload. Planning, guardrails, verification and reverts read their target through
/// <see cref="DeploymentObservation"/>; a CronJob maps onto it as one replica that is Available when the newest
/// finished run of its current template succeeded, and not otherwise (no run yet included: "the next run succeeded"
/// is what verifies a raise). A suspended CronJob is paused: no run would try a new limit. The pods of the failed
/// runs stand for the workload's pods, so the raise picks the container they show killed for memory.
/// </summary>
public static class CronJobWorkload
{
    public const string AvailableCondition = "Available";

    public static DetectionInput Input(CronJobObservation cronJob, CronJobDetection detection)
    {
        ArgumentNullException.ThrowIfNull(cronJob);
        ArgumentNullException.ThrowIfNull(detection);
        var healthy = detection.Healthy;
        var ready = healthy ? 1 : 0;
        var condition = new DeploymentCondition(AvailableCondition, healthy ? "True" : "False",
            healthy ? "LastRunSucceeded" : detection.LastRun is null ? "NoRunOfCurrentTemplate" : "LastRunFailed",
            detection.LastRun is { } last ? $"run {last.Name}: {last.Outcome}" : "no run of the current job template has finished");
        var workload = new DeploymentObservation(cronJob.Namespace, cronJob.Name, cronJob.Uid, cronJob.Generation, cronJob.Generation,
            DesiredReplicas: 1, ReadyReplicas: ready, AvailableReplicas: ready, UpdatedReplicas: ready, UnavailableReplicas: 1 - ready,
            Paused: cronJob.Suspended, cronJob.Annotations, ValueList.Of(condition), CurrentRevision: null, cronJob.Template)
        {
            Kind = CronJobTriage.Kind,
        };
        return new DetectionInput(workload, [], [.. detection.FailedRuns.SelectMany(r => r.Pods)]);
    }

    /// <summary>The detection as the decider reads it: the signal confirmed (no hold, see <see cref="CronJobFailureDetector"/>), never a rollout.</summary>
    public static DetectionResult Result(CronJobDetection detection)
    {
        ArgumentNullException.ThrowIfNull(detection);
        return new DetectionResult(detection.Signal is { } signal ? ValueList.Of(signal) : ValueList<DetectedSignal>.Empty,
            ValueList<DetectedSignal>.Empty, HysteresisState.Empty, RecentRollout: false, NewRevision: null);
    }
}
