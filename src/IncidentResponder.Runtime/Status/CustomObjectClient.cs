using IncidentResponder.Runtime.Client;
using k8s;
using k8s.Models;

namespace IncidentResponder.Runtime.Status;

/// <summary><see cref="IResourceClient{T}"/> for a custom resource (namespaced or cluster-scoped) via KubernetesClient.</summary>
public sealed class CustomObjectClient<T>(IKubernetes client, string group, string version, string plural) : IResourceClient<T>
    where T : IKubernetesObject<V1ObjectMeta>
{
    public async Task<T?> GetAsync(string? ns, string name, CancellationToken cancellationToken)
    {
        return await ApiReads.GetOrNullAsync(() => ns is null
            ? client.CustomObjects.GetClusterCustomObjectAsync<T>(group, version, plural, name, cancellationToken)
            : client.CustomObjects.GetNamespacedCustomObjectAsync<T>(group, version, ns, plural, name, cancellationToken)).ConfigureAwait(false);
    }

    public Task<T> PatchAsync(string? ns, string name, string mergePatchJson, CancellationToken cancellationToken)
    {
        var patch = new V1Patch(mergePatchJson, V1Patch.PatchType.MergePatch);
        return ns is null
            ? client.CustomObjects.PatchClusterCustomObjectAsync<T>(patch, group, version, plural, name, cancellationToken: cancellationToken)
            : client.CustomObjects.PatchNamespacedCustomObjectAsync<T>(patch, group, version, ns, plural, name, cancellationToken: cancellationToken);
    }

    public Task<T> PatchStatusAsync(string? ns, string name, string mergePatchJson, CancellationToken cancellationToken)
    {
        var patch = new V1Patch(mergePatchJson, V1Patch.PatchType.MergePatch);
        return ns is null
            ? client.CustomObjects.PatchClusterCustomObjectStatusAsync<T>(patch, group, version, plural, name, cancellationToken: cancellationToken)
            : client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<T>(patch, group, version, ns, plural, name, cancellationToken: cancellationToken);
    }
}
