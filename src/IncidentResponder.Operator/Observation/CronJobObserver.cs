using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Jobs;

namespace IncidentResponder.Operator.Observation;

/// <summary>A CronJob at one instant: its runs judged by the core, and the same as the workload the decider reads.</summary>
public sealed record CronJobTargetObservation(CronJobObservation CronJob, CronJobDetection Detection, DetectionInput Input, DetectionResult Result);

/// <summary>
/// Builds the core's view of one CronJob from the caches (its Jobs and their pods) and runs the detector. Holds no
/// memory: finished runs are facts in the API, so a restart sees exactly what the last process saw.
/// </summary>
public sealed class CronJobObserver(CronJobCache cache)
{
    /// <param name="live">The CronJob as read from the API just now, to use instead of the cache's (a pending intent is judged on it).</param>
    public CronJobTargetObservation Observe(CachedCronJob cronJob, CronJobObservation? live = null)
    {
        var observed = live ?? cronJob.Observation;
        var detection = CronJobFailureDetector.Detect(observed, cache.RunsOf(cronJob), CronJobThresholds.Default);
        return new CronJobTargetObservation(observed, detection, CronJobWorkload.Input(observed, detection), CronJobWorkload.Result(detection));
    }
}
