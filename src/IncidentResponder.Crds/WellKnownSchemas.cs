using k8s.Models;

namespace IncidentResponder.Crds;

/// <summary>
/// Schemas of the Kubernetes types the API embeds. They are written out, not reflected, because the KubernetesClient
/// models carry no validation facts; the facts here are those of apimachinery's metav1 types.
/// </summary>
internal static class WellKnownSchemas
{
    /// <summary>The schema for a well-known type, or null when the type is one of ours.</summary>
    public static V1JSONSchemaProps? For(Type type)
    {
        if (type == typeof(V1ObjectMeta))
        {
            // The apiserver validates metadata itself; a CRD schema may only say "object" here.
            return new V1JSONSchemaProps { Type = "object" };
        }

        if (type == typeof(V1Condition))
        {
            return Condition();
        }

        if (type == typeof(V1LabelSelector))
        {
            return LabelSelector();
        }

        return null;
    }

    /// <summary>metav1.Condition, with the markers apimachinery declares on it.</summary>
    private static V1JSONSchemaProps Condition() => new()
    {
        Type = "object",
        Description = "Condition contains details for one aspect of the current state of this API Resource.",
        Required = ["lastTransitionTime", "message", "reason", "status", "type"],
        Properties = new Dictionary<string, V1JSONSchemaProps>
        {
            ["lastTransitionTime"] = new()
            {
                Type = "string",
                Format = "date-time",
                Description = "The last time the condition transitioned from one status to another.",
            },
            ["message"] = new()
            {
                Type = "string",
                MaxLength = 32768,
                Description = "A human readable message indicating details about the transition. This may be an empty string.",
            },
            ["observedGeneration"] = new()
            {
                Type = "integer",
                Format = "int64",
                Minimum = 0,
                Description = "The .metadata.generation that the condition was set based upon.",
            },
            ["reason"] = new()
            {
                Type = "string",
                MinLength = 1,
                MaxLength = 1024,
                Pattern = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$",
                Description = "A programmatic identifier indicating the reason for the condition's last transition, in CamelCase.",
            },
            ["status"] = new()
            {
                Type = "string",
                EnumProperty = ["True", "False", "Unknown"],
                Description = "Status of the condition, one of True, False, Unknown.",
            },
            ["type"] = new()
            {
                Type = "string",
                MaxLength = 316,
                Pattern = @"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$",
                Description = "Type of condition in CamelCase or in foo.example.com/CamelCase.",
            },
        },
    };

    /// <summary>metav1.LabelSelector: matchLabels and matchExpressions, ANDed.</summary>
    private static V1JSONSchemaProps LabelSelector() => new()
    {
        Type = "object",
        Description = "A label query over a set of resources. The result of matchLabels and matchExpressions are ANDed. An empty label selector matches all objects.",
        Properties = new Dictionary<string, V1JSONSchemaProps>
        {
            ["matchExpressions"] = new()
            {
                Type = "array",
                Description = "A list of label selector requirements. The requirements are ANDed.",
                XKubernetesListType = "atomic",
                Items = new V1JSONSchemaProps
                {
                    Type = "object",
                    Description = "A selector that contains values, a key, and an operator that relates the key and values.",
                    Required = ["key", "operator"],
                    Properties = new Dictionary<string, V1JSONSchemaProps>
                    {
                        ["key"] = new() { Type = "string", Description = "The label key that the selector applies to." },
                        ["operator"] = new()
                        {
                            Type = "string",
                            EnumProperty = ["In", "NotIn", "Exists", "DoesNotExist"],
                            Description = "A key's relationship to a set of values.",
                        },
                        ["values"] = new()
                        {
                            Type = "array",
                            XKubernetesListType = "atomic",
                            Items = new V1JSONSchemaProps { Type = "string" },
                            Description = "An array of string values. In and NotIn need a non-empty array; Exists and DoesNotExist an empty one.",
                        },
                    },
                },
            },
            ["matchLabels"] = new()
            {
                Type = "object",
                AdditionalProperties = new V1JSONSchemaProps { Type = "string" },
                Description = "A map of {key,value} pairs, each equivalent to a matchExpressions element with operator In and that single value.",
            },
        },
        XKubernetesMapType = "atomic",
    };
}
