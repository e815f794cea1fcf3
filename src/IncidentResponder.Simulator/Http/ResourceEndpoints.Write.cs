using System.Globalization;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;
using Microsoft.AspNetCore.Http;

namespace IncidentResponder.Simulator.Http;

/// <summary>create, update, delete and deletecollection.</summary>
internal sealed partial class ResourceEndpoints
{
    public async Task CreateAsync(HttpContext context, ResourceRequest request)
    {
        var writeOptions = WriteOptionsFrom(context);
        var body = await ReadObjectAsync(context, request).ConfigureAwait(false);
        var metadata = ObjectRules.Metadata(body);
        if (request.Definition.Type.Namespaced)
        {
            var bodyNamespace = ObjectRules.Str(metadata["namespace"]);
            if (string.IsNullOrEmpty(bodyNamespace))
            {
                metadata["namespace"] = request.Namespace;
            }
            else if (bodyNamespace != request.Namespace)
            {
                throw ApiErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }
        }

        if (!string.IsNullOrEmpty(ObjectRules.Str(metadata["resourceVersion"])))
        {
            throw ApiErrors.BadRequest("resourceVersion should not be set on objects to be created");
        }

        var created = store.Create(StorageType(request.Definition), EventViews.ToStorage(request.Definition, body), writeOptions);
        await WriteObjectAsync(context, 201, request.Definition, created, writeOptions).ConfigureAwait(false);
    }

    public async Task UpdateAsync(HttpContext context, ResourceRequest request)
    {
        var writeOptions = WriteOptionsFrom(context);
        var body = await ReadObjectAsync(context, request).ConfigureAwait(false);
        CheckIdentity(request, body);
        var updated = store.Update(StorageType(request.Definition), EventViews.ToStorage(request.Definition, body), request.Subresource == "status", writeOptions);
        await WriteObjectAsync(context, 200, request.Definition, updated, writeOptions).ConfigureAwait(false);
    }

    public async Task DeleteAsync(HttpContext context, ResourceRequest request)
    {
        var deleteOptions = await DeleteOptionsFromAsync(context).ConfigureAwait(false);
        var result = store.Delete(StorageType(request.Definition), request.Namespace, request.Name!, deleteOptions);
        await WriteObjectAsync(context, 200, request.Definition, result).ConfigureAwait(false);
    }

    public async Task DeleteCollectionAsync(HttpContext context, ResourceRequest request)
    {
        var deleteOptions = await DeleteOptionsFromAsync(context).ConfigureAwait(false);
        var (labels, fields) = Selectors(context, request);
        var page = store.ListStored(StorageType(request.Definition), request.Namespace, labels, fields);
        var deleted = new JsonArray();
        foreach (var item in page.Items)
        {
            try
            {
                var result = EventViews.FromStorage(request.Definition, store.Delete(item.Type, item.Namespace, item.Name, deleteOptions));
                result.Remove("kind");
                result.Remove("apiVersion");
                deleted.Add(result);
            }
            catch (StoreException error) when (error.Code == 404)
            {
                // Deleted concurrently (for example by the garbage collector): nothing left to do.
            }
        }

        var body = new JsonObject
        {
            ["kind"] = request.Definition.ListKind,
            ["apiVersion"] = request.Definition.Type.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = store.ResourceVersion.ToString(CultureInfo.InvariantCulture) },
            ["items"] = deleted,
        };
        await HttpIo.WriteJsonAsync(context, 200, body).ConfigureAwait(false);
    }

    private static void CheckIdentity(ResourceRequest request, JsonObject body)
    {
        var metadata = ObjectRules.Metadata(body);
        var name = ObjectRules.Str(metadata["name"]);
        if (string.IsNullOrEmpty(name))
        {
            metadata["name"] = request.Name;
        }
        else if (name != request.Name)
        {
            throw ApiErrors.BadRequest($"the name of the object ({name}) does not match the name on the URL ({request.Name})");
        }

        if (request.Definition.Type.Namespaced)
        {
            var ns = ObjectRules.Str(metadata["namespace"]);
            if (string.IsNullOrEmpty(ns))
            {
                metadata["namespace"] = request.Namespace;
            }
            else if (ns != request.Namespace)
            {
                throw ApiErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }
        }
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext context, ResourceRequest request)
    {
        var media = HttpIo.MediaType(context.Request);
        if (media == "application/vnd.kubernetes.protobuf")
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            var decoded = ProtobufDecoder.Decode(buffer.ToArray());
            CheckKind(request, decoded);
            return decoded;
        }

        if (media is not ("application/json" or "" or "*/*"))
        {
            throw ApiErrors.UnsupportedMediaType($"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf");
        }

        var node = await HttpIo.ReadJsonAsync(context, request.Definition).ConfigureAwait(false);
        if (node is not JsonObject obj)
        {
            throw ApiErrors.BadRequest($"Object '{request.Definition.Type.Kind}' is missing in '{node.ToJsonString()}'");
        }

        CheckKind(request, obj);
        return obj;
    }

    private static void CheckKind(ResourceRequest request, JsonObject obj)
    {
        var kind = ObjectRules.Str(obj["kind"]);
        var apiVersion = ObjectRules.Str(obj["apiVersion"]);
        if ((kind is not null && kind != request.Definition.Type.Kind) || (apiVersion is not null && apiVersion != request.Definition.Type.ApiVersion))
        {
            throw ApiErrors.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({request.Definition.Type.ApiVersion})");
        }
    }

    private static WriteOptions WriteOptionsFrom(HttpContext context)
    {
        var validation = HttpIo.Query(context, "fieldValidation") switch
        {
            null or "" or "Warn" => FieldValidation.Warn,
            "Strict" => FieldValidation.Strict,
            "Ignore" => FieldValidation.Ignore,
            var other => throw ApiErrors.BadRequest($"fieldValidation parameter unsupported: {other}"),
        };
        return new WriteOptions { DryRun = ReadDryRun(context) is not null, FieldValidation = validation };
    }

    private static async Task<DeleteOptions> DeleteOptionsFromAsync(HttpContext context)
    {
        JsonObject? body = null;
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            body = await HttpIo.ReadJsonAsync(context, null).ConfigureAwait(false) as JsonObject;
        }

        var policy = HttpIo.Query(context, "propagationPolicy") ?? ObjectRules.Str(body?["propagationPolicy"]);
        if (policy is null && (HttpIo.Query(context, "orphanDependents") == "true" || body?["orphanDependents"] is JsonValue o && o.TryGetValue<bool>(out var orphan) && orphan))
        {
            policy = "Orphan";
        }

        if (policy is not (null or "Background" or "Foreground" or "Orphan"))
        {
            throw ApiErrors.Invalid("DeleteOptions.meta.k8s.io", "meta.k8s.io", "DeleteOptions", string.Empty,
                [new FieldCause("FieldValueNotSupported", $"Unsupported value: \"{policy}\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"", "propagationPolicy")]);
        }

        long? grace = long.TryParse(HttpIo.Query(context, "gracePeriodSeconds"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var g) ? g
            : body?["gracePeriodSeconds"] is JsonValue gv && gv.TryGetValue<long>(out var bg) ? bg : null;
        var dryRun = ReadDryRun(context) is not null || (body?["dryRun"] is JsonArray dr && dr.Any(v => ObjectRules.Str(v) == "All"));
        return new DeleteOptions
        {
            DryRun = dryRun,
            PropagationPolicy = policy,
            GracePeriodSeconds = grace,
            PreconditionUid = ObjectRules.Str(body?["preconditions"]?["uid"]),
            PreconditionResourceVersion = ObjectRules.Str(body?["preconditions"]?["resourceVersion"]),
        };
    }
}
