using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Observation;
using k8s;
using k8s.Models;

namespace IncidentResponder.Operator.Actions;

/// <summary>
/// The JSON Patch <c>kubectl rollout undo</c> sends (kubectl/pkg/polymorphichelpers/rollback.go), plus two things of
/// ours: a <c>test</c> of the resourceVersion the decision was checked against, so a Deployment changed in between
/// answers 409 instead of being overwritten, and the incidentresponder.dev/action annotation in the same write, so a
/// restart can tell whether the change happened.
/// </summary>
public static class RollbackPatch
{
    /// <summary>Annotations that describe the Deployment, not a revision: kept from the Deployment, never copied from the ReplicaSet.</summary>
    public static readonly IReadOnlySet<string> SkippedAnnotations = new HashSet<string>(StringComparer.Ordinal)
    {
        "kubectl.kubernetes.io/last-applied-configuration",
        "deployment.kubernetes.io/revision",
        "deployment.kubernetes.io/revision-history",
        "deployment.kubernetes.io/desired-replicas",
        "deployment.kubernetes.io/max-replicas",
        "deprecated.deployment.rollback.to",
    };

    /// <summary>The ReplicaSet's template as the Deployment's: without the pod-template-hash label.</summary>
    public static V1PodTemplateSpec TemplateOf(V1ReplicaSet replicaSet)
    {
        var template = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(replicaSet.Spec.Template));
        template.Metadata?.Labels?.Remove(TemplateFingerprint.PodTemplateHashLabel);
        return template;
    }

    public static string Build(V1Deployment deployment, V1ReplicaSet target, V1PodTemplateSpec template, string actionAnnotation)
    {
        var patch = new JsonArray
        {
            Operation("test", "/metadata/resourceVersion", JsonValue.Create(deployment.Metadata.ResourceVersion)),
            Operation("replace", "/spec/template", JsonNode.Parse(KubernetesJson.Serialize(template))),
            // "add" replaces an existing member and also works on a Deployment without annotations.
            Operation("add", "/metadata/annotations", Annotations(deployment, target, actionAnnotation)),
        };
        return patch.ToJsonString();
    }

    /// <summary>
    /// kubectl's rule: the Deployment's skipped annotations, plus the ReplicaSet's others. The operator's own
    /// annotations (opt-out, action marker) are about the Deployment too, so they are also kept from it, never
    /// resurrected from an old revision; then this step's marker is set.
    /// </summary>
    public static JsonObject Annotations(V1Deployment deployment, V1ReplicaSet target, string actionAnnotation)
    {
        static bool Ours(string key) => key.StartsWith(GroupVersion.Group + "/", StringComparison.Ordinal);
        var result = new JsonObject();
        foreach (var (key, value) in deployment.Metadata.Annotations ?? new Dictionary<string, string>())
        {
            if (SkippedAnnotations.Contains(key) || Ours(key))
            {
                result[key] = value;
            }
        }

        foreach (var (key, value) in target.Metadata.Annotations ?? new Dictionary<string, string>())
        {
            if (!SkippedAnnotations.Contains(key) && !Ours(key))
            {
                result[key] = value;
            }
        }

        result[WellKnown.ActionAnnotation] = actionAnnotation;
        return result;
    }

    private static JsonObject Operation(string op, string path, JsonNode? value) => new()
    {
        ["op"] = op,
        ["path"] = path,
        ["value"] = value,
    };
}
