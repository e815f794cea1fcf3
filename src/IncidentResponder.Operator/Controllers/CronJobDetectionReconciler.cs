using IncidentResponder.Core.Jobs;
using IncidentResponder.Core.Policy;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Controllers;

namespace IncidentResponder.Operator.Controllers;

/// <summary>
/// Keyed by CronJob: on every change of the CronJob, its Jobs or their pods, judges its runs
/// (<see cref="CronJobFailureDetector"/>) and hands a confirmed OOMKilled signal to triage (<see cref="CronJobTriage"/>),
/// which opens one incident for the CronJob across its runs, or joins / reopens it.
/// </summary>
public sealed class CronJobDetectionReconciler(CronJobCache cronJobs, PolicyResolver policies, CronJobObserver observer, IncidentOpener opener, TimeProvider time)
    : IReconciler
{
    public const string Name = "cronjob-detection";

    public async Task<ReconcileResult> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        var cronJob = cronJobs.CronJob(request.Namespace ?? string.Empty, request.Name);
        if (cronJob is null || policies.Governing(cronJob) is not { } policy)
        {
            return ReconcileResult.Done;
        }

        var observation = observer.Observe(cronJob);
        if (observation.Detection.Signal is not { } signal || GoverningPolicy.Route(policy, signal.Key.Type) is not { } route)
        {
            return ReconcileResult.Done; // nothing waits on time here: the next run's end is an API event
        }

        var effective = policies.Effective(policy);
        var now = time.GetUtcNow();
        var target = IncidentEventRecorder.CronJobReference(cronJob.Namespace, cronJob.Name, cronJob.Observation.Uid);
        await opener.OpenOrJoinAsync(target, known => CronJobTriage.Triage(signal, observation.Detection, observation.Input, known, effective, now),
            route.RunbookRef.Name, now, cancellationToken);
        return ReconcileResult.Done;
    }
}
