using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IncidentResponder.Operator.GitOpsOwners;

/// <summary>Reads GitOps objects as JSON: the operator only needs a few fields of each, and no typed client exists for them.</summary>
public sealed class GitOpsReads(IKubernetes client)
{
    /// <summary>The object, or null when it does not exist (or its kind is not served: that tool is not installed).</summary>
    public async Task<JsonObject?> GetAsync(GitOpsKind kind, string ns, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        try
        {
            var element = await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(kind.Group, kind.Version, ns, kind.Plural, name, cancellationToken);
            return JsonNode.Parse(element.GetRawText()) as JsonObject;
        }
        catch (HttpOperationException notFound) when (notFound.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>A JSON merge patch; <paramref name="dryRun"/> asks the server what it would store.</summary>
    public async Task<JsonObject?> MergePatchAsync(GitOpsKind kind, string ns, string name, string patch, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var element = await client.CustomObjects.PatchNamespacedCustomObjectAsync<JsonElement>(new V1Patch(patch, V1Patch.PatchType.MergePatch),
            kind.Group, kind.Version, ns, kind.Plural, name, dryRun: dryRun ? "All" : null, fieldManager: Api.V1Alpha1.WellKnown.FieldManager,
            cancellationToken: cancellationToken);
        return JsonNode.Parse(element.GetRawText()) as JsonObject;
    }
}
