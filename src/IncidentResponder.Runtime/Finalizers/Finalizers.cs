using System.Net;
using System.Text.Json.Nodes;
using IncidentResponder.Runtime.Status;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IncidentResponder.Runtime.Finalizers;

/// <summary>
/// Adds and removes a finalizer with a merge patch of metadata.finalizers that carries the resourceVersion it was
/// computed from, so a concurrent change to the list answers 409 instead of being lost. A 409 is the ordinary sign
/// that another writer (a status update, another controller's finalizer) got there first: the object is re-read and
/// the change computed again, quietly, as <see cref="StatusWriter{T}"/> does, up to a few times before the conflict
/// goes back to the reconcile. Flux's order applies: when the object is not being deleted add the finalizer first and
/// return; when it is being deleted clean up, then remove the finalizer.
/// </summary>
public sealed class Finalizers<T>(IResourceClient<T> client, int maxConflictRetries = 5)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Adds the finalizer if missing. Returns the updated object, or null when nothing had to change.</summary>
    public Task<T?> EnsureAsync(T obj, string finalizer, CancellationToken cancellationToken) =>
        ChangeAsync(obj, current => current.Contains(finalizer) ? null : [.. current, finalizer], cancellationToken);

    /// <summary>Removes the finalizer if present. Returns the updated object, or null when nothing had to change.</summary>
    public Task<T?> RemoveAsync(T obj, string finalizer, CancellationToken cancellationToken) =>
        ChangeAsync(obj, current => current.Contains(finalizer) ? [.. current.Where(f => f != finalizer)] : null, cancellationToken);

    public static bool IsBeingDeleted(T obj) => obj.Metadata.DeletionTimestamp is not null;

    // change: the new list for the current one, or null when the current one is already right.
    private async Task<T?> ChangeAsync(T obj, Func<IList<string>, List<string>?> change, CancellationToken cancellationToken)
    {
        var observed = obj;
        for (var attempt = 0; ; attempt++)
        {
            if (change(observed.Metadata.Finalizers ?? []) is not { } finalizers)
            {
                return null;
            }

            try
            {
                return await client.PatchAsync(observed.Namespace(), observed.Name(), Patch(observed, finalizers), cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.Conflict && attempt < maxConflictRetries)
            {
                if (await client.GetAsync(observed.Namespace(), observed.Name(), cancellationToken).ConfigureAwait(false) is not { } fresh)
                {
                    return null; // deleted meanwhile: nothing left to hold or release
                }

                observed = fresh;
            }
        }
    }

    private static string Patch(T obj, List<string> finalizers) => new JsonObject
    {
        ["metadata"] = new JsonObject
        {
            ["resourceVersion"] = obj.ResourceVersion(),
            ["finalizers"] = finalizers.Count == 0 ? null : new JsonArray([.. finalizers.Select(f => (JsonNode?)JsonValue.Create(f))]),
        },
    }.ToJsonString();
}
