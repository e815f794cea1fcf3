using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Observations;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Client;
using k8s;
using k8s.Models;

namespace IncidentResponder.Operator.Actions;

/// <summary>A workload as the API server has it now: what actions read and compare before they write.</summary>
/// <param name="Cached">The same projection the informers make, for the core.</param>
public sealed record LiveWorkload(string Kind, V1ObjectMeta Metadata, V1PodTemplateSpec Template, CachedDeployment Cached);

/// <summary>
/// The one place the shell turns a target's kind into API calls: live reads and patches of a Deployment, StatefulSet
/// or DaemonSet. Actions that change only the pod template or annotations (memory raise, rollback marker) go through
/// here and so work on every kind alike.
/// </summary>
public sealed class WorkloadApi(IKubernetes client)
{
    public async Task<LiveWorkload?> ReadAsync(string kind, string ns, string name, CancellationToken cancellationToken) => kind switch
    {
        WorkloadKinds.Deployment => Live(await ApiReads.GetOrNullAsync(() => client.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: cancellationToken))),
        WorkloadKinds.StatefulSet => Live(await ApiReads.GetOrNullAsync(() => client.AppsV1.ReadNamespacedStatefulSetAsync(name, ns, cancellationToken: cancellationToken))),
        WorkloadKinds.DaemonSet => Live(await ApiReads.GetOrNullAsync(() => client.AppsV1.ReadNamespacedDaemonSetAsync(name, ns, cancellationToken: cancellationToken))),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not an apps/v1 workload kind this operator acts on"),
    };

    /// <summary>Sends <paramref name="patch"/> to the workload (a server-side dry run when asked) and returns the result.</summary>
    public async Task<LiveWorkload> PatchAsync(string kind, string ns, string name, V1Patch patch, bool dryRun, CancellationToken cancellationToken)
    {
        var dry = dryRun ? "All" : null;
        return kind switch
        {
            WorkloadKinds.Deployment => Live(await client.AppsV1.PatchNamespacedDeploymentAsync(patch, name, ns, dryRun: dry, fieldManager: WellKnown.FieldManager, cancellationToken: cancellationToken))!,
            WorkloadKinds.StatefulSet => Live(await client.AppsV1.PatchNamespacedStatefulSetAsync(patch, name, ns, dryRun: dry, fieldManager: WellKnown.FieldManager, cancellationToken: cancellationToken))!,
            WorkloadKinds.DaemonSet => Live(await client.AppsV1.PatchNamespacedDaemonSetAsync(patch, name, ns, dryRun: dry, fieldManager: WellKnown.FieldManager, cancellationToken: cancellationToken))!,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not an apps/v1 workload kind this operator acts on"),
        };
    }

    private static LiveWorkload? Live(V1Deployment? d) =>
        d is null ? null : new LiveWorkload(WorkloadKinds.Deployment, d.Metadata, d.Spec.Template, Projections.Deployment(d));

    private static LiveWorkload? Live(V1StatefulSet? s) =>
        s is null ? null : new LiveWorkload(WorkloadKinds.StatefulSet, s.Metadata, s.Spec.Template, WorkloadProjections.StatefulSet(s));

    private static LiveWorkload? Live(V1DaemonSet? s) =>
        s is null ? null : new LiveWorkload(WorkloadKinds.DaemonSet, s.Metadata, s.Spec.Template, WorkloadProjections.DaemonSet(s));
}
