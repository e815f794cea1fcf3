using k8s;
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

/// <summary>A Deployment's spec.template.</summary>
internal sealed class DeploymentMemoryTarget(IKubernetes client, string ns, string name) : IMemoryTarget
{
    public string Describe => $"Deployment {name}";

    public string TemplatePath => "/spec/template";

    public async Task<(IList<V1Container> Containers, IDictionary<string, string>? Annotations)?> ReadAsync(CancellationToken cancellationToken) =>
        await Runtime.Client.ApiReads.GetOrNullAsync(() => client.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: cancellationToken)) is { } deployment
            ? (deployment.Spec.Template.Spec.Containers, deployment.Metadata.Annotations)
            : null;

    public async Task<IList<V1Container>> PatchAsync(V1Patch patch, bool dryRun, CancellationToken cancellationToken) =>
        (await client.AppsV1.PatchNamespacedDeploymentAsync(patch, name, ns, dryRun: dryRun ? "All" : null, fieldManager: Api.V1Alpha1.WellKnown.FieldManager,
            cancellationToken: cancellationToken)).Spec.Template.Spec.Containers;
}
