using IncidentResponder.Core.Jobs;
using IncidentResponder.Core.Observations;
using IncidentResponder.Runtime.Informers;

namespace IncidentResponder.Operator.Observation;

/// <summary>The CronJobs and Jobs the operator watches, with the lookups from a CronJob to its runs and their pods.</summary>
public sealed class CronJobCache(InformerGroup<CachedCronJob> cronJobs, InformerGroup<CachedJob> jobs, InformerGroup<CachedPod> pods)
{
    public InformerGroup<CachedCronJob> CronJobs => cronJobs;

    public InformerGroup<CachedJob> Jobs => jobs;

    public CachedCronJob? CronJob(string ns, string name) => cronJobs.Get(ns, name);

    /// <summary>The runs of a CronJob: the Jobs it controls, each with its pods.</summary>
    public IReadOnlyList<JobRun> RunsOf(CachedCronJob cronJob) =>
        [.. jobs.ByIndex(cronJob.Namespace, Indexers.ByControllerOwner, Indexers.OwnerIndexValue(cronJob.Namespace, "CronJob", cronJob.Name))
            .Where(job => job.OwnerReferences.Any(o => o.IsController && o.Uid == cronJob.Observation.Uid))
            .Select(job => new JobRun(job.Name, job.CreatedAt, job.Template, job.Outcome, job.FailureReason,
                new ValueList<PodObservation>(PodsOf(job).Select(p => p.Observation))))];

    public IReadOnlyList<CachedPod> PodsOf(CachedJob job) =>
        pods.ByIndex(job.Namespace, Indexers.ByControllerOwner, Indexers.OwnerIndexValue(job.Namespace, "Job", job.Name));
}
