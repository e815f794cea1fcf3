using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Controllers;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Controllers;

/// <summary>
/// Detection for CronJobs, keyed by CronJob: woken by the CronJob, its Jobs (a run ending), the Jobs' pods (an OOM
/// kill) and a policy's spec change.
/// </summary>
public sealed record CronJobDetectionFeature : IOperatorFeature
{
    public void Setup(OperatorParts parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var (cache, cronJobs) = (parts.Cache, parts.CronJobs);
        var opener = new IncidentOpener(parts.Client, cache, parts.Observer, parts.Statuses, parts.Events, parts.Manager.Loggers.CreateLogger<IncidentOpener>());
        ControllerBuilder.ManagedBy(parts.Manager)
            .Named(CronJobDetectionReconciler.Name)
            .For(cronJobs.CronJobs.Members)
            .Owns(cronJobs.Jobs.Members, "batch", "CronJob")
            .Watches(cache.Pods.Members, pod => CronJobOf(cronJobs, pod))
            .Watches(cache.Policies.Members, p => CronJobsIn(cronJobs, p.Namespace ?? string.Empty), Predicates.GenerationChanged<RemediationPolicy>())
            .Complete(new CronJobDetectionReconciler(cronJobs, parts.Policies, new CronJobObserver(cronJobs), opener, parts.Manager.Time));
    }

    /// <summary>Pod → its Job → that Job's CronJob.</summary>
    internal static IEnumerable<ReconcileRequest> CronJobOf(CronJobCache cronJobs, CachedPod pod)
    {
        var job = OwnerMapping.ControllerOwner(pod, "batch", "Job") is { } owner ? cronJobs.Jobs.Get(pod.Namespace, owner.Name) : null;
        return job is not null && OwnerMapping.ControllerOwner(job, "batch", "CronJob") is { } cronJob ? [cronJob] : [];
    }

    private static IEnumerable<ReconcileRequest> CronJobsIn(CronJobCache cronJobs, string ns) =>
        cronJobs.CronJobs.InNamespace(ns).Select(c => new ReconcileRequest(c.Namespace, c.Name));
}
