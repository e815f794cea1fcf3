using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Selectors;
using IncidentResponder.Simulator.Storage;
using IncidentResponder.Simulator.Tables;
using Microsoft.AspNetCore.Http;

namespace IncidentResponder.Simulator.Http;

/// <summary>get and list of any resource, as JSON or as a meta.k8s.io Table.</summary>
internal sealed partial class ResourceEndpoints(ClusterStore store, SimulatorOptions options, TableConverter tables)
{
    private static readonly byte[] ItemsSeparator = ","u8.ToArray();

    private ResourceType StorageType(ResourceDefinition definition) => definition.StorageType ?? definition.Type;

    private ResourceDefinition StorageDefinition(ResourceDefinition definition) =>
        definition.StorageType is { } storage ? store.Registry.Get(storage) : definition;

    public async Task GetAsync(HttpContext context, ResourceRequest request)
    {
        var stored = store.GetStored(StorageType(request.Definition), request.Namespace, request.Name!)
            ?? throw ApiErrors.NotFound(request.Definition, request.Name!);
        if (TableRequest.From(context) is { } table)
        {
            var obj = EventViews.FromStorage(request.Definition, stored.ToJsonObject());
            await HttpIo.WriteJsonAsync(context, 200, tables.Convert(request.Definition, [obj], table, stored.ResourceVersion.ToString(CultureInfo.InvariantCulture), null, noHeaders: false)).ConfigureAwait(false);
            return;
        }

        await WriteObjectAsync(context, 200, request.Definition, stored).ConfigureAwait(false);
    }

    public async Task ListAsync(HttpContext context, ResourceRequest request)
    {
        var (labels, fields) = Selectors(context, request);
        ValidateListOptions(context, watch: false);
        var limit = int.TryParse(HttpIo.Query(context, "limit"), NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : 0;
        (string, string)? after = null;
        long? listVersion = null;
        if (HttpIo.Query(context, "continue") is { Length: > 0 } token)
        {
            var decoded = ContinueToken.Decode(token, options.Time, options.ContinueTokenLifetime, store.CompactedThrough);
            after = (decoded.Namespace, decoded.Name);
            listVersion = decoded.ResourceVersion;
        }

        var page = store.ListStored(StorageType(request.Definition), request.Namespace, labels, fields, limit, after);
        var resourceVersion = (listVersion ?? page.ResourceVersion).ToString(CultureInfo.InvariantCulture);
        string? next = page.Continue is { } c
            ? new ContinueToken(listVersion ?? page.ResourceVersion, c.Namespace, c.Name, options.Time.GetUtcNow().ToUnixTimeSeconds()).Encode()
            : null;

        if (TableRequest.From(context) is { } table)
        {
            var objects = page.Items.Select(o => EventViews.FromStorage(request.Definition, o.ToJsonObject())).ToList();
            var body = tables.Convert(request.Definition, objects, table, resourceVersion, next, noHeaders: false);
            if (page.Continue is not null)
            {
                body["metadata"]!["remainingItemCount"] = page.RemainingItemCount;
            }

            await HttpIo.WriteJsonAsync(context, 200, body).ConfigureAwait(false);
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(4096 + (page.Items.Count * 1024));
        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion };
        if (next is not null)
        {
            metadata["continue"] = next;
            metadata["remainingItemCount"] = page.RemainingItemCount;
        }

        var head = $"{{\"kind\":\"{request.Definition.ListKind}\",\"apiVersion\":\"{request.Definition.Type.ApiVersion}\",\"metadata\":{metadata.ToJsonString()},\"items\":[";
        buffer.Write(Encoding.UTF8.GetBytes(head));
        var first = true;
        foreach (var item in page.Items)
        {
            if (!first)
            {
                buffer.Write(ItemsSeparator);
            }

            first = false;
            WriteListItem(buffer, request.Definition, item);
        }

        buffer.Write("]}"u8);
        await HttpIo.WriteBytesAsync(context, 200, buffer.WrittenMemory).ConfigureAwait(false);
    }

    /// <summary>
    /// Built-in list items carry no kind/apiVersion (typed lists), custom resource items do (unstructured lists).
    /// </summary>
    private static void WriteListItem(IBufferWriter<byte> buffer, ResourceDefinition definition, StoredObject item)
    {
        if (definition.StorageType is not null)
        {
            var view = EventViews.FromStorage(definition, item.ToJsonObject());
            view.Remove("kind");
            view.Remove("apiVersion");
            buffer.Write(ObjectSerializer.ToBytes(view));
        }
        else if (definition.IsCustom)
        {
            buffer.Write(item.ToFullBytes());
        }
        else
        {
            buffer.Write(item.Body);
        }
    }

    private async Task WriteObjectAsync(HttpContext context, int statusCode, ResourceDefinition definition, StoredObject stored, WriteOptions? writeOptions = null)
    {
        if (definition.StorageType is not null)
        {
            await HttpIo.WriteJsonAsync(context, statusCode, EventViews.FromStorage(definition, stored.ToJsonObject()), writeOptions).ConfigureAwait(false);
            return;
        }

        await HttpIo.WriteBytesAsync(context, statusCode, stored.ToFullBytes(), writeOptions).ConfigureAwait(false);
    }

    private async Task WriteObjectAsync(HttpContext context, int statusCode, ResourceDefinition definition, JsonObject obj, WriteOptions? writeOptions = null)
    {
        var view = EventViews.FromStorage(definition, obj);
        if (TableRequest.From(context) is { } table)
        {
            var rv = ObjectRules.Str(view["metadata"]?["resourceVersion"]) ?? string.Empty;
            await HttpIo.WriteJsonAsync(context, statusCode, tables.Convert(definition, [view], table, rv, null, noHeaders: false), writeOptions).ConfigureAwait(false);
            return;
        }

        await HttpIo.WriteJsonAsync(context, statusCode, view, writeOptions).ConfigureAwait(false);
    }

    /// <summary>Parses labelSelector/fieldSelector, checking field labels against the resource (400 for unsupported ones).</summary>
    internal static (LabelSelector Labels, FieldSelector Fields) Selectors(HttpContext context, ResourceRequest request)
    {
        LabelSelector labels;
        FieldSelector fields;
        try
        {
            labels = LabelSelector.Parse(HttpIo.Query(context, "labelSelector"));
            fields = FieldSelector.Parse(HttpIo.Query(context, "fieldSelector"));
        }
        catch (FormatException error)
        {
            throw ApiErrors.BadRequest(error.Message);
        }

        foreach (var field in fields.Fields)
        {
            var supported = field is "metadata.name" || (field is "metadata.namespace" && request.Definition.Type.Namespaced)
                || request.Definition.FieldLabels.Contains(field)
                || (request.Definition.StorageType is not null && field is "metadata.namespace");
            if (!supported)
            {
                throw ApiErrors.BadRequest($"field label not supported: {field}");
            }
        }

        if (request.Name is { } name)
        {
            if (fields.RequiredValue("metadata.name") is { } selected && selected != name)
            {
                throw ApiErrors.BadRequest("fieldSelector metadata.name doesn't match requested name");
            }

            var combined = string.Join(',', new[] { HttpIo.Query(context, "fieldSelector"), $"metadata.name={name}" }.Where(s => !string.IsNullOrEmpty(s)));
            fields = FieldSelector.Parse(combined);
        }

        return (labels, fields);
    }

    /// <summary>ListOptions validation (apimachinery internalversion/validation): 422 Invalid on kind ListOptions.</summary>
    internal static void ValidateListOptions(HttpContext context, bool watch)
    {
        var resourceVersion = HttpIo.Query(context, "resourceVersion");
        var match = HttpIo.Query(context, "resourceVersionMatch");
        var sendInitialEvents = HttpIo.Query(context, "sendInitialEvents");
        var causes = new List<FieldCause>();
        if (!string.IsNullOrEmpty(match))
        {
            if (string.IsNullOrEmpty(resourceVersion) && !watch)
            {
                causes.Add(new FieldCause("FieldValueForbidden", "Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided", "resourceVersionMatch"));
            }

            if (!string.IsNullOrEmpty(HttpIo.Query(context, "continue")))
            {
                causes.Add(new FieldCause("FieldValueForbidden", "Forbidden: resourceVersionMatch is forbidden when continue is provided", "resourceVersionMatch"));
            }

            if (match == "Exact" && resourceVersion == "0")
            {
                causes.Add(new FieldCause("FieldValueForbidden", "Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"", "resourceVersionMatch"));
            }

            if (watch && string.IsNullOrEmpty(sendInitialEvents))
            {
                causes.Add(new FieldCause("FieldValueForbidden", "Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided", "resourceVersionMatch"));
            }
        }

        if (!string.IsNullOrEmpty(sendInitialEvents))
        {
            if (!watch)
            {
                causes.Add(new FieldCause("FieldValueForbidden", "Forbidden: sendInitialEvents is forbidden for list", "sendInitialEvents"));
            }
            else if (match != "NotOlderThan")
            {
                causes.Add(new FieldCause("FieldValueForbidden", "Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan", "resourceVersionMatch"));
            }
        }

        if (causes.Count > 0)
        {
            throw ApiErrors.Invalid("ListOptions.meta.k8s.io", "meta.k8s.io", "ListOptions", string.Empty, causes);
        }
    }

    private static string? ReadDryRun(HttpContext context)
    {
        var value = HttpIo.Query(context, "dryRun");
        if (value is null or "")
        {
            return null;
        }

        return value == "All" ? value : throw ApiErrors.Invalid("CreateOptions.meta.k8s.io", "meta.k8s.io", "CreateOptions", string.Empty,
            [new FieldCause("FieldValueNotSupported", $"Unsupported value: \"{value}\": supported values: \"All\"", "dryRun")]);
    }
}
