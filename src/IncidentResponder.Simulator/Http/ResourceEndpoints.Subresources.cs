using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;
using Microsoft.AspNetCore.Http;

namespace IncidentResponder.Simulator.Http;

/// <summary>The <c>scale</c> (get/update) and <c>pods/log</c> subresources.</summary>
internal sealed partial class ResourceEndpoints
{
    public async Task GetScaleAsync(HttpContext context, ResourceRequest request)
    {
        var obj = store.Get(request.Definition.Type, request.Namespace, request.Name!) ?? throw ApiErrors.NotFound(request.Definition, request.Name!);
        await HttpIo.WriteJsonAsync(context, 200, ScaleSubresource.FromObject(obj)).ConfigureAwait(false);
    }

    public async Task UpdateScaleAsync(HttpContext context, ResourceRequest request)
    {
        var writeOptions = WriteOptionsFrom(context);
        var body = await HttpIo.ReadJsonAsync(context, null).ConfigureAwait(false) as JsonObject ?? throw ApiErrors.BadRequest("Scale body must be an object");
        var obj = store.Get(request.Definition.Type, request.Namespace, request.Name!) ?? throw ApiErrors.NotFound(request.Definition, request.Name!);
        var updated = store.Update(request.Definition.Type, ScaleSubresource.ApplyReplicas(obj, body), false, writeOptions);
        await HttpIo.WriteJsonAsync(context, 200, ScaleSubresource.FromObject(updated), writeOptions).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>GET pods/{name}/log</c> with <c>container</c>, <c>previous</c> and <c>tailLines</c>: the lines the kubelet
    /// wrote, as text/plain, with the kubelet's errors when there is no such log.
    /// </summary>
    public async Task GetLogAsync(HttpContext context, ResourceRequest request)
    {
        var pod = store.Get(BuiltinResources.Pods, request.Namespace, request.Name!) ?? throw ApiErrors.NotFound(request.Definition, request.Name!);
        var containers = (pod["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>().Select(c => ObjectRules.Str(c["name"])).OfType<string>().ToList() ?? [];
        var container = HttpIo.Query(context, "container");
        if (string.IsNullOrEmpty(container))
        {
            if (containers.Count != 1)
            {
                throw ApiErrors.BadRequest($"a container name must be specified for pod {request.Name}, choose one of: [{string.Join(' ', containers)}]");
            }

            container = containers[0];
        }
        else if (!containers.Contains(container))
        {
            throw ApiErrors.BadRequest($"container {container} is not valid for pod {request.Name}");
        }

        var previous = HttpIo.QueryFlag(context, "previous");
        int? tail = int.TryParse(HttpIo.Query(context, "tailLines"), NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : null;
        var lines = store.Logs.Read(request.Namespace!, request.Name!, container, previous, tail);
        if (lines is null)
        {
            throw ApiErrors.BadRequest(previous
                ? $"previous terminated container \"{container}\" in pod \"{request.Name}\" not found"
                : $"container \"{container}\" in pod \"{request.Name}\" is waiting to start: ContainerCreating");
        }

        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(line).Append('\n');
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }
}
