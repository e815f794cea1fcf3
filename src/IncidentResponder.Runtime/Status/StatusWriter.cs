using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Runtime.Status;

/// <summary>
/// Writes an object's status as a JSON merge patch of only what changed, and makes no call at all when nothing did
/// (the medik8s "{}" rule), so a steady-state reconcile costs no API writes.
/// The patch carries metadata.resourceVersion, so a write based on a stale read answers 409; the writer then
/// re-reads the object, applies the same status change to the fresh copy and tries again.
/// </summary>
public sealed class StatusWriter<T>(IResourceClient<T> client, ILogger logger, int maxConflictRetries = 5)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>
    /// Applies <paramref name="mutateStatus"/> to a copy of <paramref name="current"/> and patches the difference.
    /// The delegate must be idempotent: after a conflict it runs again on the re-read object.
    /// </summary>
    public async Task<StatusWriteResult<T>> UpdateAsync(T current, Action<T> mutateStatus, CancellationToken cancellationToken)
    {
        var observed = current;
        for (var attempt = 0; ; attempt++)
        {
            var desired = DeepCopy(observed);
            mutateStatus(desired);
            var patch = StatusPatch(observed, desired);
            if (patch is null)
            {
                return new StatusWriteResult<T>(observed, Patched: false, Conflicts: attempt);
            }

            try
            {
                var written = await client.PatchStatusAsync(observed.Namespace(), observed.Name(), patch, cancellationToken).ConfigureAwait(false);
                return new StatusWriteResult<T>(written, Patched: true, Conflicts: attempt);
            }
            catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.Conflict && attempt < maxConflictRetries)
            {
                logger.LogDebug("Status patch of {Namespace}/{Name} conflicted; re-reading (attempt {Attempt})", observed.Namespace(), observed.Name(), attempt + 1);
                observed = await client.GetAsync(observed.Namespace(), observed.Name(), cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"{observed.Namespace()}/{observed.Name()} was deleted while its status was being written.", error);
            }
        }
    }

    /// <summary>The merge patch for the status change, or null when the status is unchanged.</summary>
    public static string? StatusPatch(T before, T after)
    {
        var beforeStatus = JsonNode.Parse(KubernetesJson.Serialize(before))?["status"];
        var afterStatus = JsonNode.Parse(KubernetesJson.Serialize(after))?["status"];
        var diff = JsonMergePatch.Create(new JsonObject { ["status"] = beforeStatus?.DeepClone() }, new JsonObject { ["status"] = afterStatus?.DeepClone() });
        if (diff is not JsonObject patch)
        {
            return null;
        }

        patch["metadata"] = new JsonObject { ["resourceVersion"] = before.ResourceVersion() };
        return patch.ToJsonString();
    }

    private static T DeepCopy(T obj) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(obj));
}

public sealed record StatusWriteResult<T>(T Object, bool Patched, int Conflicts);
