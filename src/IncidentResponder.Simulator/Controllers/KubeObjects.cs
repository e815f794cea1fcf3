using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace IncidentResponder.Simulator.Controllers;

/// <summary>Conversions between the store's JSON and KubernetesClient's typed models, and small metadata helpers.</summary>
public static class KubeObjects
{
    public static T ToTyped<T>(JsonObject json) => KubernetesJson.Deserialize<T>(json.ToJsonString());

    public static JsonObject ToJson(object typed) =>
        JsonNode.Parse(KubernetesJson.Serialize(typed))!.AsObject();

    /// <summary>A deep copy through JSON, so reconcilers never mutate their inputs.</summary>
    public static T Clone<T>(T typed) where T : class => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(typed));

    /// <summary>metav1.Time has whole-second precision; the wire format must not carry fractions.</summary>
    public static DateTime Seconds(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    public static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));

    /// <summary>The controller owner reference (controller: true), or null.</summary>
    public static V1OwnerReference? ControllerOf(V1ObjectMeta metadata) =>
        metadata.OwnerReferences?.FirstOrDefault(reference => reference.Controller == true);

    /// <summary>True when <paramref name="metadata"/> names <paramref name="ownerUid"/> as its controller, like metav1.IsControlledBy.</summary>
    public static bool IsControlledBy(V1ObjectMeta metadata, string ownerUid) => ControllerOf(metadata)?.Uid == ownerUid;

    public static V1OwnerReference ControllerReference(string apiVersion, string kind, V1ObjectMeta owner) => new()
    {
        ApiVersion = apiVersion,
        Kind = kind,
        Name = owner.Name,
        Uid = owner.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    public static V1ObjectReference Reference(string apiVersion, string kind, V1ObjectMeta metadata, string? fieldPath = null) => new()
    {
        ApiVersion = apiVersion,
        Kind = kind,
        Name = metadata.Name,
        NamespaceProperty = metadata.NamespaceProperty,
        Uid = metadata.Uid,
        ResourceVersion = metadata.ResourceVersion,
        FieldPath = fieldPath,
    };

    public static string? Annotation(V1ObjectMeta metadata, string key) =>
        metadata.Annotations is { } annotations && annotations.TryGetValue(key, out var value) ? value : null;

    public static DateTimeOffset CreatedAt(V1ObjectMeta metadata) =>
        metadata.CreationTimestamp is { } created ? Utc(created) : DateTimeOffset.MinValue;
}
