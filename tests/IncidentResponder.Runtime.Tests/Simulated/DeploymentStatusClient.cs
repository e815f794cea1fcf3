using System.Net;
using IncidentResponder.Runtime.Status;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IncidentResponder.Runtime.Tests.Simulated;

/// <summary>The runtime's resource client for Deployments (a built-in kind with a status subresource).</summary>
internal sealed class DeploymentStatusClient(IKubernetes client) : IResourceClient<V1Deployment>
{
    public async Task<V1Deployment?> GetAsync(string? ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task<V1Deployment> PatchAsync(string? ns, string name, string mergePatchJson, CancellationToken cancellationToken) =>
        client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(mergePatchJson, V1Patch.PatchType.MergePatch), name, ns, cancellationToken: cancellationToken);

    public Task<V1Deployment> PatchStatusAsync(string? ns, string name, string mergePatchJson, CancellationToken cancellationToken) =>
        client.AppsV1.PatchNamespacedDeploymentStatusAsync(new V1Patch(mergePatchJson, V1Patch.PatchType.MergePatch), name, ns, cancellationToken: cancellationToken);
}
