using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator.Http;

/// <summary>A parsed resource request (kube's RequestInfo): verb, resource, namespace, name and subresource.</summary>
internal sealed record ResourceRequest(string Verb, ResourceDefinition Definition, string? Namespace, string? Name, string? Subresource)
{
    /// <summary>
    /// Parses the path after <c>/api/v1</c> or <c>/apis/{group}/{version}</c>. Returns null when it names no served resource.
    /// </summary>
    public static ResourceRequest? Parse(ResourceRegistry registry, string method, bool watch, string group, string version, IReadOnlyList<string> rest)
    {
        string? ns = null;
        var parts = rest;
        if (parts.Count > 0 && parts[0] == "watch")
        {
            watch = true;
            parts = parts.Skip(1).ToList();
        }

        if (parts.Count >= 3 && parts[0] == "namespaces" && registry.Find(group, version, parts[2]) is { Type.Namespaced: true })
        {
            ns = parts[1];
            parts = parts.Skip(2).ToList();
        }

        if (parts.Count is 0 or > 3)
        {
            return null;
        }

        var definition = registry.Find(group, version, parts[0]);
        if (definition is null)
        {
            return null;
        }

        var name = parts.Count > 1 ? parts[1] : null;
        var subresource = parts.Count > 2 ? parts[2] : null;
        var verb = method switch
        {
            "GET" or "HEAD" when watch => "watch",
            "GET" or "HEAD" => name is null ? "list" : "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => name is null ? "deletecollection" : "delete",
            _ => method.ToLowerInvariant(),
        };
        return new ResourceRequest(verb, definition, ns, name, subresource);
    }
}
