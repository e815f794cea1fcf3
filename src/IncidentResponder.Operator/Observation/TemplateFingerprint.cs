using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace IncidentResponder.Operator.Observation;

/// <summary>
/// kubectl's EqualIgnoreHash as a value: a hash of the whole pod template with the pod-template-hash label removed and
/// object keys sorted, so a Deployment's template and the ReplicaSet copied from it hash the same.
/// </summary>
public static class TemplateFingerprint
{
    public const string PodTemplateHashLabel = "pod-template-hash";

    public static string Of(V1PodTemplateSpec? template) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalJson(template))))[..16];

    /// <summary>The template as JSON without the pod-template-hash label, keys sorted at every level.</summary>
    public static string CanonicalJson(V1PodTemplateSpec? template)
    {
        var node = template is null ? new JsonObject() : JsonNode.Parse(KubernetesJson.Serialize(template));
        if (node?["metadata"]?["labels"] is JsonObject labels)
        {
            labels.Remove(PodTemplateHashLabel);
        }

        return Sorted(node)?.ToJsonString() ?? "null";
    }

    /// <summary>Equal templates, ignoring the pod-template-hash label (kubectl rollout undo's "already matches").</summary>
    public static bool EqualIgnoreHash(V1PodTemplateSpec? left, V1PodTemplateSpec? right) =>
        CanonicalJson(left) == CanonicalJson(right);

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Sorted)]),
        _ => node?.DeepClone(),
    };
}
