using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;
using Microsoft.AspNetCore.Http;

namespace IncidentResponder.Simulator.Http;

/// <summary>
/// Legacy discovery (<c>/api</c>, <c>/apis</c>, <c>/api/v1</c>, <c>/apis/{group}/{version}</c>) and <c>/version</c>.
/// Served as plain <c>application/json</c>, which tells client-go to use the legacy format rather than aggregated v2.
/// </summary>
internal sealed class DiscoveryEndpoints(ResourceRegistry registry, SimulatorOptions options)
{
    public Task ApiVersionsAsync(HttpContext context)
    {
        var body = new JsonObject
        {
            ["kind"] = "APIVersions",
            ["versions"] = new JsonArray("v1"),
            ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = context.Request.Host.Value }),
        };
        return HttpIo.WriteJsonAsync(context, 200, body);
    }

    public Task GroupListAsync(HttpContext context)
    {
        var groups = new JsonArray();
        foreach (var (group, versions) in Groups())
        {
            if (group.Length > 0)
            {
                groups.Add(Group(group, versions));
            }
        }

        return HttpIo.WriteJsonAsync(context, 200, new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups });
    }

    public Task GroupAsync(HttpContext context, string group)
    {
        var match = Groups().FirstOrDefault(g => g.Group == group);
        if (match.Versions is null)
        {
            return HttpIo.WriteErrorAsync(context, new StoreException(404, "NotFound", "the server could not find the requested resource"));
        }

        var body = Group(group, match.Versions);
        body["kind"] = "APIGroup";
        body["apiVersion"] = "v1";
        return HttpIo.WriteJsonAsync(context, 200, body);
    }

    public Task ResourceListAsync(HttpContext context, string group, string version)
    {
        var definitions = registry.InGroupVersion(group, version);
        var reviews = group == SelfSubjectReviewEndpoint.Group && version == SelfSubjectReviewEndpoint.Version;
        if (definitions.Count == 0 && !reviews)
        {
            return HttpIo.WriteErrorAsync(context, new StoreException(404, "NotFound", "the server could not find the requested resource"));
        }

        var resources = new JsonArray();
        if (reviews)
        {
            resources.Add(SelfSubjectReviewEndpoint.DiscoveryEntry());
        }

        foreach (var definition in definitions)
        {
            var entry = new JsonObject
            {
                ["name"] = definition.Type.Resource,
                ["singularName"] = definition.Singular,
                ["namespaced"] = definition.Type.Namespaced,
                ["kind"] = definition.Type.Kind,
                ["verbs"] = Strings(definition.Verbs),
            };
            if (definition.ShortNames.Count > 0)
            {
                entry["shortNames"] = Strings(definition.ShortNames);
            }

            if (definition.Categories.Count > 0)
            {
                entry["categories"] = Strings(definition.Categories);
            }

            resources.Add(entry);
            if (definition.HasStatus)
            {
                resources.Add(Subresource(definition, "status", null, ["get", "patch", "update"]));
            }

            if (definition.HasScale)
            {
                resources.Add(Subresource(definition, "scale", ("autoscaling", "v1", "Scale"), ["get", "patch", "update"]));
            }

            foreach (var extra in definition.ExtraSubresources)
            {
                resources.Add(Subresource(definition, extra, null, ["get"]));
            }
        }

        var body = new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
        return HttpIo.WriteJsonAsync(context, 200, body);
    }

    public Task VersionAsync(HttpContext context)
    {
        var body = new JsonObject
        {
            ["major"] = "1",
            ["minor"] = "32",
            ["gitVersion"] = options.ServerVersion,
            ["gitCommit"] = "0000000000000000000000000000000000000000",
            ["gitTreeState"] = "clean",
            ["buildDate"] = "2025-01-01T00:00:00Z",
            ["goVersion"] = "go1.23.0",
            ["compiler"] = "gc",
            ["platform"] = "linux/amd64",
        };
        return HttpIo.WriteJsonAsync(context, 200, body);
    }

    /// <summary>The stored resources' groups, plus authentication.k8s.io, whose reviews are answered and never stored.</summary>
    private IEnumerable<(string Group, IReadOnlyList<string> Versions)> Groups()
    {
        var stored = registry.Groups();
        return stored.Any(g => g.Group == SelfSubjectReviewEndpoint.Group)
            ? stored
            : stored.Append((SelfSubjectReviewEndpoint.Group, (IReadOnlyList<string>)[SelfSubjectReviewEndpoint.Version]));
    }

    private static JsonObject Group(string group, IReadOnlyList<string> versions)
    {
        var list = new JsonArray(versions.Select(v => (JsonNode)new JsonObject { ["groupVersion"] = $"{group}/{v}", ["version"] = v }).ToArray());
        return new JsonObject
        {
            ["name"] = group,
            ["versions"] = list,
            ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{group}/{versions[0]}", ["version"] = versions[0] },
        };
    }

    private static JsonObject Subresource(ResourceDefinition definition, string subresource, (string Group, string Version, string Kind)? kind, IReadOnlyList<string> verbs)
    {
        var entry = new JsonObject
        {
            ["name"] = $"{definition.Type.Resource}/{subresource}",
            ["singularName"] = string.Empty,
            ["namespaced"] = definition.Type.Namespaced,
        };
        if (kind is { } k)
        {
            entry["group"] = k.Group;
            entry["version"] = k.Version;
            entry["kind"] = k.Kind;
        }
        else
        {
            entry["kind"] = definition.Type.Kind;
        }

        entry["verbs"] = Strings(verbs);
        return entry;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
}
