using System.Text.Json.Nodes;
using IncidentResponder.Runtime.Status;
using k8s;
using k8s.Models;

namespace IncidentResponder.Runtime.Finalizers;

/// <summary>
/// Adds and removes a finalizer with a merge patch of metadata.finalizers that carries the resourceVersion it was
/// computed from, so a concurrent change to the list answers 409 (and the reconcile retries) instead of being lost.
/// Flux's order applies: when the object is not being deleted add the finalizer first and return; when it is being
/// deleted clean up, then remove the finalizer.
/// </summary>
public sealed class Finalizers<T>(IResourceClient<T> client)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Adds the finalizer if missing. Returns the updated object, or null when nothing had to change.</summary>
    public async Task<T?> EnsureAsync(T obj, string finalizer, CancellationToken cancellationToken)
    {
        var current = obj.Metadata.Finalizers ?? [];
        if (current.Contains(finalizer))
        {
            return null;
        }

        return await PatchAsync(obj, [.. current, finalizer], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the finalizer if present. Returns the updated object, or null when nothing had to change.</summary>
    public async Task<T?> RemoveAsync(T obj, string finalizer, CancellationToken cancellationToken)
    {
        var current = obj.Metadata.Finalizers ?? [];
        if (!current.Contains(finalizer))
        {
            return null;
        }

        return await PatchAsync(obj, [.. current.Where(f => f != finalizer)], cancellationToken).ConfigureAwait(false);
    }

    public static bool IsBeingDeleted(T obj) => obj.Metadata.DeletionTimestamp is not null;

    private Task<T> PatchAsync(T obj, List<string> finalizers, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = obj.ResourceVersion(),
                ["finalizers"] = finalizers.Count == 0 ? null : new JsonArray([.. finalizers.Select(f => (JsonNode?)JsonValue.Create(f))]),
            },
        };
        return client.PatchAsync(obj.Namespace(), obj.Name(), patch.ToJsonString(), cancellationToken);
    }
}
