using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Jobs;
using IncidentResponder.Core.Observations;
using IncidentResponder.Runtime.Informers;
using k8s.Models;

namespace IncidentResponder.Operator.Observation;

/// <summary>What the informers keep of a CronJob: the core's observation plus the labels policies select by.</summary>
public sealed record CachedCronJob(
    string Namespace,
    string Name,
    string? ResourceVersion,
    IReadOnlyDictionary<string, string> Labels,
    CronJobObservation Observation) : ICachedObject
{
    public IReadOnlyList<OwnerRef> OwnerReferences => [];
}

/// <summary>What the informers keep of a Job: how it ended and the containers of its template, not its pods (those come from the pod cache).</summary>
public sealed record CachedJob(
    string Namespace,
    string Name,
    string? ResourceVersion,
    IReadOnlyList<OwnerRef> OwnerReferences,
    DateTimeOffset CreatedAt,
    PodTemplateSummary Template,
    JobRunOutcome Outcome,
    string? FailureReason) : ICachedObject;

/// <summary>Informer projections of batch/v1 CronJobs and Jobs.</summary>
public static class CronJobProjections
{
    public static CachedCronJob CronJob(V1CronJob cronJob)
    {
        var meta = cronJob.Metadata;
        var annotations = Projections.Value(meta.Annotations, WellKnown.ActionAnnotation) is { } marker
            ? new Dictionary<string, string>(StringComparer.Ordinal) { [WellKnown.ActionAnnotation] = marker }
            : new Dictionary<string, string>(StringComparer.Ordinal);
        var observation = new CronJobObservation(meta.NamespaceProperty, meta.Name, meta.Uid ?? string.Empty, meta.Generation ?? 0,
            cronJob.Spec?.Suspend ?? false, annotations, Template(cronJob.Spec?.JobTemplate?.Spec?.Template));
        return new CachedCronJob(meta.NamespaceProperty, meta.Name, meta.ResourceVersion,
            new Dictionary<string, string>(meta.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal), observation);
    }

    public static CachedJob Job(V1Job job)
    {
        var meta = job.Metadata;
        var conditions = job.Status?.Conditions ?? [];
        var failed = conditions.FirstOrDefault(c => c.Type == "Failed" && c.Status == "True");
        var outcome = failed is not null ? JobRunOutcome.Failed
            : conditions.Any(c => c.Type == "Complete" && c.Status == "True") ? JobRunOutcome.Succeeded
            : JobRunOutcome.Running;
        var created = meta.CreationTimestamp is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : DateTimeOffset.UnixEpoch;
        return new CachedJob(meta.NamespaceProperty, meta.Name, meta.ResourceVersion, OwnerRef.From(meta.OwnerReferences), created,
            Template(job.Spec?.Template), outcome, failed?.Reason);
    }

    /// <summary>
    /// The containers only, without a fingerprint: the Job controller adds labels to the template it copies from the
    /// CronJob, so "ran the CronJob's current template" compares what the containers run with, limits included.
    /// </summary>
    private static PodTemplateSummary Template(V1PodTemplateSpec? template) => TemplateSummaries.From(template) with { Fingerprint = null };
}
