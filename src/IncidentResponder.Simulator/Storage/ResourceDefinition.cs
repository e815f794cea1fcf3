using System.Text.Json.Nodes;

namespace IncidentResponder.Simulator.Storage;

/// <summary>When <c>metadata.generation</c> is set and bumped, per the registry strategy of the kind.</summary>
public enum GenerationPolicy
{
    /// <summary>No generation (pods in 1.32, configmaps, events, leases...).</summary>
    None,

    /// <summary>Generation 1 on create, +1 when <c>spec</c> changes (ReplicaSet, CRD).</summary>
    Spec,

    /// <summary>Deployment: +1 when <c>spec</c> or <c>metadata.annotations</c> change.</summary>
    SpecOrAnnotations,

    /// <summary>Custom resources: +1 on any change outside <c>metadata</c> (and outside <c>status</c> when it is a subresource).</summary>
    AllButMetadata,
}

/// <summary>
/// Everything the server knows about one REST resource: its identity (<see cref="ResourceType"/>), how discovery
/// describes it, and the per-kind rules the registry strategies apply (generation, status subresource, field labels).
/// </summary>
public sealed class ResourceDefinition
{
    public required ResourceType Type { get; init; }

    public required string Singular { get; init; }

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    public bool HasStatus { get; init; }

    public bool HasScale { get; init; }

    /// <summary>Subresources without their own storage, such as <c>pods/log</c>.</summary>
    public IReadOnlyList<string> ExtraSubresources { get; init; } = [];

    public GenerationPolicy Generation { get; init; }

    /// <summary>False for custom resources: a PUT without resourceVersion is 422 (customResourceStrategy).</summary>
    public bool AllowUnconditionalUpdate { get; init; } = true;

    /// <summary>True for custom resources: strategic merge patch is 415, list items carry kind/apiVersion.</summary>
    public bool IsCustom { get; init; }

    /// <summary>Field labels this resource supports in <c>fieldSelector</c>, beyond metadata.name/metadata.namespace.</summary>
    public IReadOnlyList<string> FieldLabels { get; init; } = [];

    /// <summary>For custom resources: the CRD version entry (schema, printer columns, subresources).</summary>
    public JsonObject? CrdVersion { get; init; }

    /// <summary>For custom resources: the whole CustomResourceDefinition (for the schema validator).</summary>
    public JsonObject? Crd { get; init; }

    /// <summary>
    /// For a resource that is another API's view of the same storage (events.k8s.io/v1 events are core/v1 events):
    /// the stored type. Null for resources with their own storage.
    /// </summary>
    public ResourceType? StorageType { get; init; }

    public IReadOnlyList<string> Verbs { get; init; } = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public string ListKind => Type.Kind + "List";

    /// <summary><c>deployments.apps</c> or just <c>pods</c>: how error messages name the resource.</summary>
    public string QualifiedResource => Type.Group.Length == 0 ? Type.Resource : $"{Type.Resource}.{Type.Group}";

    /// <summary><c>Deployment.apps</c> or <c>Pod</c>: how 422 Invalid messages name the kind.</summary>
    public string QualifiedKind => Type.Group.Length == 0 ? Type.Kind : $"{Type.Kind}.{Type.Group}";
}
