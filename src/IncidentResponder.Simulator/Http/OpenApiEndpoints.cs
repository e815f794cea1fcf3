using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;
using Microsoft.AspNetCore.Http;

namespace IncidentResponder.Simulator.Http;

/// <summary>
/// A minimal but honest <c>/openapi/v3</c>: an index of every served group/version, and per group/version the
/// paths with their operations, each PATCH declaring <c>x-kubernetes-group-version-kind</c> and the
/// <c>fieldValidation</c> parameter. That is what kubectl's validation needs to send <c>fieldValidation=Strict</c>
/// and leave validation to the server. Schemas are not published (<c>kubectl explain</c> is not supported).
/// </summary>
internal sealed class OpenApiEndpoints(ResourceRegistry registry, SimulatorOptions options)
{
    public Task IndexAsync(HttpContext context)
    {
        var paths = new JsonObject();
        foreach (var (group, versions) in registry.Groups())
        {
            foreach (var version in versions)
            {
                var key = DocumentKey(group, version);
                paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={Hash(group, version)}" };
            }
        }

        return HttpIo.WriteJsonAsync(context, 200, new JsonObject { ["paths"] = paths });
    }

    public Task DocumentAsync(HttpContext context, string group, string version)
    {
        var definitions = registry.InGroupVersion(group, version);
        if (definitions.Count == 0)
        {
            return HttpIo.WriteErrorAsync(context, new StoreException(404, "NotFound", "the server could not find the requested resource"));
        }

        var prefix = "/" + DocumentKey(group, version);
        var paths = new JsonObject();
        foreach (var definition in definitions)
        {
            var gvk = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = definition.Type.Kind };
            var collection = definition.Type.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{definition.Type.Resource}" : $"{prefix}/{definition.Type.Resource}";
            paths[collection] = new JsonObject
            {
                ["get"] = Operation("list", definition, gvk, []),
                ["post"] = Operation("create", definition, gvk, ["dryRun", "fieldManager", "fieldValidation"]),
                ["delete"] = Operation("deletecollection", definition, gvk, ["dryRun", "gracePeriodSeconds", "propagationPolicy"]),
            };
            paths[collection + "/{name}"] = new JsonObject
            {
                ["get"] = Operation("get", definition, gvk, []),
                ["put"] = Operation("update", definition, gvk, ["dryRun", "fieldManager", "fieldValidation"]),
                ["patch"] = Operation("patch", definition, gvk, ["dryRun", "fieldManager", "fieldValidation", "force"]),
                ["delete"] = Operation("delete", definition, gvk, ["dryRun", "gracePeriodSeconds", "propagationPolicy"]),
            };
            if (definition.HasStatus)
            {
                paths[collection + "/{name}/status"] = new JsonObject
                {
                    ["get"] = Operation("get", definition, gvk, []),
                    ["put"] = Operation("update", definition, gvk, ["dryRun", "fieldManager", "fieldValidation"]),
                    ["patch"] = Operation("patch", definition, gvk, ["dryRun", "fieldManager", "fieldValidation", "force"]),
                };
            }
        }

        var document = new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = options.ServerVersion },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
        return HttpIo.WriteJsonAsync(context, 200, document);
    }

    private static JsonObject Operation(string action, ResourceDefinition definition, JsonObject gvk, IReadOnlyList<string> queryParameters) => new()
    {
        ["operationId"] = $"{action}{definition.Type.Kind}",
        ["x-kubernetes-action"] = action,
        ["x-kubernetes-group-version-kind"] = gvk.DeepClone(),
        ["parameters"] = new JsonArray(queryParameters.Select(p => (JsonNode)new JsonObject
        {
            ["name"] = p,
            ["in"] = "query",
            ["schema"] = new JsonObject { ["type"] = p is "gracePeriodSeconds" ? "integer" : p is "force" ? "boolean" : "string", ["uniqueItems"] = true },
        }).ToArray()),
        ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
    };

    public static string DocumentKey(string group, string version) => group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";

    private string Hash(string group, string version)
    {
        var names = string.Join(',', registry.InGroupVersion(group, version).Select(d => $"{d.Type.Resource}:{d.Type.Kind}:{d.HasStatus}"));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(names)))[..32];
    }
}
