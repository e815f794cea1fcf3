using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Kubelet;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator.GitOps;

/// <summary>
/// What the emulated Flux controllers share about their objects: <c>spec.suspend</c>, <c>spec.interval</c>, and
/// kstatus conditions with <c>observedGeneration</c> and <c>lastHandledReconcileAt</c>, written only when they change.
/// </summary>
internal static class FluxStatus
{
    public const string RequestedAtAnnotation = "reconcile.fluxcd.io/requestedAt";

    public static bool IsSuspended(JsonObject spec) => spec["suspend"] is JsonValue v && v.TryGetValue<bool>(out var suspended) && suspended;

    /// <summary><c>spec.interval</c> as a Go duration (1m when absent or invalid), never below <paramref name="minimum"/>.</summary>
    public static TimeSpan Interval(JsonObject spec, TimeSpan minimum)
    {
        var interval = ObjectRules.Str(spec["interval"]) is { } text && FaultSpec.TryParseGoDuration(text, out var parsed) && parsed > TimeSpan.Zero
            ? parsed
            : TimeSpan.FromMinutes(1);
        return interval < minimum ? minimum : interval;
    }

    /// <summary>What tells a spec change or a reconcile request apart from the controller's own status writes.</summary>
    public static string Fingerprint(JsonObject obj) =>
        (obj["metadata"]?["generation"]?.ToJsonString() ?? string.Empty) + "|" + (obj["metadata"]?["annotations"]?[RequestedAtAnnotation]?.ToJsonString() ?? string.Empty);

    public static void Finish(JsonObject obj, JsonObject status)
    {
        status["observedGeneration"] = obj["metadata"]?["generation"]?.DeepClone();
        if (ObjectRules.Str(obj["metadata"]?["annotations"]?[RequestedAtAnnotation]) is { } requested)
        {
            status["lastHandledReconcileAt"] = requested;
        }
    }

    /// <summary>Sets a kstatus condition; lastTransitionTime moves only when the status changes.</summary>
    public static void SetCondition(JsonObject status, string type, string value, string reason, string message, DateTimeOffset now)
    {
        var conditions = status["conditions"] as JsonArray ?? [];
        status["conditions"] = conditions;
        var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => ObjectRules.Str(c["type"]) == type);
        var since = existing is not null && ObjectRules.Str(existing["status"]) == value ? ObjectRules.Str(existing["lastTransitionTime"]) : null;
        var condition = new JsonObject
        {
            ["type"] = type,
            ["status"] = value,
            ["observedGeneration"] = status["observedGeneration"]?.DeepClone(),
            ["lastTransitionTime"] = since ?? ObjectRules.Timestamp(now),
            ["reason"] = reason,
            ["message"] = message,
        };
        if (existing is null)
        {
            conditions.Add(condition);
        }
        else
        {
            conditions[conditions.IndexOf(existing)] = condition;
        }
    }

    public static void RemoveCondition(JsonObject status, string type)
    {
        if (status["conditions"] is JsonArray conditions && conditions.OfType<JsonObject>().FirstOrDefault(c => ObjectRules.Str(c["type"]) == type) is { } existing)
        {
            conditions.Remove(existing);
        }
    }

    /// <summary>Writes the status subresource when it differs from <paramref name="previous"/>, stamping each condition's generation.</summary>
    public static void Write(ClusterStore store, ResourceType type, JsonObject obj, JsonObject previous, JsonObject status)
    {
        foreach (var condition in (status["conditions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            condition["observedGeneration"] = status["observedGeneration"]?.DeepClone();
        }

        if (JsonNode.DeepEquals(previous, status))
        {
            return;
        }

        obj["status"] = status;
        store.Update(type, obj, status: true);
    }
}
