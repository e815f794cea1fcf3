using k8s;
using k8s.Models;

namespace IncidentResponder.Operator.Actions;

/// <summary>
/// A CronJob's spec.jobTemplate.spec.template: a raise there changes the next run, never the Job running now (a Job's
/// template is immutable), which is why a CronJob's raise is verified by the next run.
/// </summary>
internal sealed class CronJobMemoryRaise(IKubernetes client, string ns, string name) : IMemoryTarget
{
    public string Describe => $"CronJob {name}";

    public string TemplatePath => "/spec/jobTemplate/spec/template";

    public async Task<(IList<V1Container> Containers, IDictionary<string, string>? Annotations)?> ReadAsync(CancellationToken cancellationToken) =>
        await Runtime.Client.ApiReads.GetOrNullAsync(() => client.BatchV1.ReadNamespacedCronJobAsync(name, ns, cancellationToken: cancellationToken)) is { } cronJob
            ? (cronJob.Spec.JobTemplate.Spec.Template.Spec.Containers, cronJob.Metadata.Annotations)
            : null;

    public async Task<IList<V1Container>> PatchAsync(V1Patch patch, bool dryRun, CancellationToken cancellationToken) =>
        (await client.BatchV1.PatchNamespacedCronJobAsync(patch, name, ns, dryRun: dryRun ? "All" : null, fieldManager: Api.V1Alpha1.WellKnown.FieldManager,
            cancellationToken: cancellationToken)).Spec.JobTemplate.Spec.Template.Spec.Containers;
}
