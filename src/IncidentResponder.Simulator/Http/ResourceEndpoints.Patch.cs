using System.Globalization;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Patching;
using IncidentResponder.Simulator.Storage;
using Microsoft.AspNetCore.Http;
using YamlDotNet.Serialization;

namespace IncidentResponder.Simulator.Http;

/// <summary>
/// PATCH: JSON Patch, JSON Merge Patch, strategic merge patch (built-ins only; 415 on custom resources) and a
/// create-or-merge subset of server-side apply. The patch applies to the latest object and is retried on a storage
/// conflict, unless the patch itself carries a resourceVersion (then a mismatch is a 409, as on a real server).
/// </summary>
internal sealed partial class ResourceEndpoints
{
    private enum PatchKind { Json, Merge, Strategic, Apply }

    public async Task PatchAsync(HttpContext context, ResourceRequest request)
    {
        var kind = HttpIo.MediaType(context.Request) switch
        {
            "application/json-patch+json" => PatchKind.Json,
            "application/merge-patch+json" => PatchKind.Merge,
            "application/strategic-merge-patch+json" when !request.Definition.IsCustom => PatchKind.Strategic,
            "application/apply-patch+yaml" or "application/apply-patch+json" => PatchKind.Apply,
            _ => throw ApiErrors.UnsupportedMediaType(request.Definition.IsCustom
                ? "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
                : "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json"),
        };
        if (kind == PatchKind.Apply && string.IsNullOrEmpty(HttpIo.Query(context, "fieldManager")))
        {
            throw ApiErrors.Invalid("PatchOptions.meta.k8s.io", "meta.k8s.io", "PatchOptions", string.Empty,
                [new FieldCause("FieldValueRequired", "Required value: is required for apply patch", "fieldManager")]);
        }

        var patch = kind == PatchKind.Apply ? await ReadApplyBodyAsync(context).ConfigureAwait(false) : await HttpIo.ReadJsonAsync(context, request.Definition).ConfigureAwait(false);
        var writeOptions = WriteOptionsFrom(context);
        var storageType = StorageType(request.Definition);
        for (var attempt = 0; ; attempt++)
        {
            var stored = store.GetStored(storageType, request.Namespace, request.Name!);
            if (stored is null)
            {
                if (kind == PatchKind.Apply && request.Subresource is null && patch is JsonObject applied)
                {
                    CheckIdentity(request, applied);
                    var created = store.Create(storageType, EventViews.ToStorage(request.Definition, applied), writeOptions);
                    await WriteObjectAsync(context, 201, request.Definition, created, writeOptions).ConfigureAwait(false);
                    return;
                }

                throw ApiErrors.NotFound(request.Definition, request.Name!);
            }

            var current = EventViews.FromStorage(request.Definition, stored.ToJsonObject());
            if (request.Subresource == "scale")
            {
                var scale = ScaleSubresource.FromObject(current);
                var patchedScale = ApplyPatch(kind, scale, patch).AsObject();
                var updatedObject = ScaleSubresource.ApplyReplicas(current, patchedScale);
                var result = store.Update(storageType, updatedObject, false, writeOptions);
                await HttpIo.WriteJsonAsync(context, 200, ScaleSubresource.FromObject(result), writeOptions).ConfigureAwait(false);
                return;
            }

            var patched = ApplyPatch(kind, current, patch) as JsonObject ?? throw ApiErrors.BadRequest("the patch does not produce an object");
            var currentVersion = stored.ResourceVersion.ToString(CultureInfo.InvariantCulture);
            var patchedVersion = ObjectRules.Str(patched["metadata"]?["resourceVersion"]);
            var conditional = !string.IsNullOrEmpty(patchedVersion) && patchedVersion != currentVersion;
            if (string.IsNullOrEmpty(patchedVersion))
            {
                ObjectRules.Metadata(patched)["resourceVersion"] = currentVersion;
            }

            CheckIdentity(request, patched);
            try
            {
                var result = store.Update(storageType, EventViews.ToStorage(request.Definition, patched), request.Subresource == "status", writeOptions);
                await WriteObjectAsync(context, 200, request.Definition, result, writeOptions).ConfigureAwait(false);
                return;
            }
            catch (StoreException error) when (error.Reason == "Conflict" && !conditional && attempt < 5)
            {
                // Someone wrote between our read and write: re-apply the patch to the new latest version.
            }
        }
    }

    private static JsonNode ApplyPatch(PatchKind kind, JsonObject current, JsonNode patch) => kind switch
    {
        PatchKind.Json => JsonPatch.Apply(current, patch),
        PatchKind.Merge => JsonMergePatch.Apply(current, patch) ?? new JsonObject(),
        PatchKind.Strategic => StrategicMergePatch.Apply(current, patch),

        // Server-side apply without managedFields: the applied configuration is merged like a strategic merge
        // patch (JSON merge for custom resources). Field ownership and conflicts are not simulated.
        _ => current["kind"] is not null && patch is JsonObject && !IsCustomKind(current)
            ? StrategicMergePatch.Apply(current, patch)
            : JsonMergePatch.Apply(current, patch) ?? new JsonObject(),
    };

    private static bool IsCustomKind(JsonObject obj) =>
        ObjectRules.Str(obj["apiVersion"]) is { } apiVersion && apiVersion.Contains('.', StringComparison.Ordinal) && !apiVersion.Contains(".k8s.io", StringComparison.Ordinal);

    private static async Task<JsonNode> ReadApplyBodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var text = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        try
        {
            return JsonNode.Parse(text) ?? new JsonObject();
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON: YAML. Convert through YamlDotNet's JSON-compatible serializer.
            var yaml = new DeserializerBuilder().Build().Deserialize<object>(text);
            var json = new SerializerBuilder().JsonCompatible().Build().Serialize(yaml);
            return JsonNode.Parse(json) ?? new JsonObject();
        }
    }
}
