using k8s.Models;

namespace IncidentResponder.Operator.Actions;

/// <summary>A workload's pod template as a memory raise reads and patches it: live, never from the cache.</summary>
internal interface IMemoryTarget
{
    /// <summary>"Deployment web", "CronJob report": for messages.</summary>
    string Describe { get; }

    /// <summary>JSON pointer of the pod template in the workload, e.g. /spec/template.</summary>
    string TemplatePath { get; }

    /// <summary>The containers of the pod template and the workload's annotations, or null when it no longer exists.</summary>
    Task<(IList<V1Container> Containers, IDictionary<string, string>? Annotations)?> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Sends the patch (a server-side dry run when asked) and returns the template's containers as the API server has them after it.</summary>
    Task<IList<V1Container>> PatchAsync(V1Patch patch, bool dryRun, CancellationToken cancellationToken);
}

/// <summary>The spec.template of a Deployment, StatefulSet or DaemonSet.</summary>
internal sealed class WorkloadMemoryTarget(WorkloadApi workloads, string kind, string ns, string name) : IMemoryTarget
{
    public string Describe => $"{kind} {name}";

    public string TemplatePath => "/spec/template";

    public async Task<(IList<V1Container> Containers, IDictionary<string, string>? Annotations)?> ReadAsync(CancellationToken cancellationToken) =>
        await workloads.ReadAsync(kind, ns, name, cancellationToken) is { } workload
            ? (workload.Template.Spec.Containers, workload.Metadata.Annotations)
            : null;

    public async Task<IList<V1Container>> PatchAsync(V1Patch patch, bool dryRun, CancellationToken cancellationToken) =>
        (await workloads.PatchAsync(kind, ns, name, patch, dryRun, cancellationToken)).Template.Spec.Containers;
}
