using System.Text.Json.Nodes;
using IncidentResponder.Crds;
using IncidentResponder.Simulator.Validation;
using k8s;

namespace IncidentResponder.Api.Tests.Support;

/// <summary>The generated CRDs as JSON, and one validator per kind (built once: building a JSON Schema is costly).</summary>
internal static class GeneratedSchemas
{
    public static IReadOnlyDictionary<string, JsonObject> CrdsByKind { get; } =
        CustomResourceDefinitionGenerator.GenerateAll().ToDictionary(
            crd => crd.Spec.Names.Kind,
            crd => JsonNode.Parse(KubernetesJson.Serialize(crd))!.AsObject());

    private static readonly Dictionary<string, CustomResourceValidator> Validators =
        CrdsByKind.ToDictionary(pair => pair.Key, pair => CustomResourceValidator.ForCrdVersion(pair.Value, "v1alpha1"));

    public static CustomResourceValidator For(string kind) => Validators[kind];

    public static JsonObject SchemaOf(string kind) =>
        CrdsByKind[kind]["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject();

    /// <summary>Admits a custom resource the way the apiserver would, choosing the validator by its kind.</summary>
    public static CustomResourceAdmission Admit(JsonObject document) => For(document["kind"]!.GetValue<string>()).Admit(document);
}
