using System.Text.Json.Nodes;

namespace IncidentResponder.Simulator.Storage;

/// <summary>
/// kube-apiserver decodes <c>metadata</c> into ObjectMeta, so keys ObjectMeta does not have are dropped like any
/// unknown field: reported as <c>unknown field "metadata.x"</c> (a warning by default, 400 under
/// <c>fieldValidation=Strict</c>). The classic case is <c>metadata.clusterName</c>, removed from ObjectMeta in 1.25 but
/// still present in older manifests and in the upstream round-trip test data.
/// </summary>
internal static class ObjectMetaPruning
{
    /// <summary>ObjectMeta's JSON fields in Kubernetes 1.32 (k8s.io/apimachinery/pkg/apis/meta/v1 types.go).</summary>
    private static readonly HashSet<string> ObjectMetaFields =
    [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers",
        "managedFields",
    ];

    public static void Prune(ResourceDefinition definition, JsonObject obj, WriteOptions options)
    {
        if (obj["metadata"] is not JsonObject metadata)
        {
            return;
        }

        var unknown = metadata.Select(p => p.Key).Where(key => !ObjectMetaFields.Contains(key)).ToList();
        if (unknown.Count == 0)
        {
            return;
        }

        var messages = unknown.Select(key => $"unknown field \"metadata.{key}\"").ToList();
        switch (options.FieldValidation)
        {
            case FieldValidation.Strict:
                var kind = definition.Type.Kind;
                throw ApiErrors.BadRequest($"{kind} in version \"{definition.Type.Version}\" cannot be handled as a {kind}: strict decoding error: {string.Join(", ", messages)}");
            case FieldValidation.Warn:
                options.Warnings.AddRange(messages);
                break;
        }

        foreach (var key in unknown)
        {
            metadata.Remove(key);
        }
    }
}
