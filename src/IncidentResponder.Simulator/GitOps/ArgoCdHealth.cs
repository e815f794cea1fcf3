using System.Globalization;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator.GitOps;

/// <summary>A resource's or an application's health, as Argo CD's gitops-engine words it.</summary>
public sealed record ArgoCdHealth(string Status, string? Message)
{
    public const string Healthy = "Healthy";
    public const string Suspended = "Suspended";
    public const string Progressing = "Progressing";
    public const string Missing = "Missing";
    public const string Degraded = "Degraded";
    public const string Unknown = "Unknown";

    // gitops-engine's health order: an application is as unhealthy as its worst resource.
    private static readonly string[] Order = [Healthy, Suspended, Progressing, Missing, Degraded, Unknown];

    /// <summary>The health of a live object Argo CD has a built-in check for (Deployments here), or null when it has none.</summary>
    public static ArgoCdHealth? Of(ResourceType type, JsonObject? live)
    {
        if (live is null)
        {
            return new ArgoCdHealth(Missing, null);
        }

        return type.Group == "apps" && type.Kind == "Deployment" ? Deployment(live) : null;
    }

    /// <summary>The worse of two healths.</summary>
    public static ArgoCdHealth Worst(ArgoCdHealth a, ArgoCdHealth b) =>
        Array.IndexOf(Order, b.Status) > Array.IndexOf(Order, a.Status) ? b : a;

    // gitops-engine pkg/health/health_deployment.go, worded as upstream words it.
    private static ArgoCdHealth Deployment(JsonObject live)
    {
        var spec = live["spec"] as JsonObject;
        var status = live["status"] as JsonObject;
        if (spec?["paused"] is JsonValue paused && paused.TryGetValue<bool>(out var isPaused) && isPaused)
        {
            return new ArgoCdHealth(Suspended, "Deployment is paused");
        }

        var generation = Int(live["metadata"]?["generation"]);
        var observed = Int(status?["observedGeneration"]);
        if (generation > observed)
        {
            return new ArgoCdHealth(Progressing, "Waiting for rollout to finish: observed deployment generation less than desired generation");
        }

        var name = ObjectRules.Str(live["metadata"]?["name"]);
        var progressing = (status?["conditions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => ObjectRules.Str(c["type"]) == "Progressing");
        if (progressing is not null && ObjectRules.Str(progressing["reason"]) == "ProgressDeadlineExceeded")
        {
            return new ArgoCdHealth(Degraded, $"Deployment \"{name}\" exceeded its progress deadline");
        }

        var replicas = spec?["replicas"] is null ? 1 : Int(spec["replicas"]);
        var updated = Int(status?["updatedReplicas"]);
        var current = Int(status?["replicas"]);
        var available = Int(status?["availableReplicas"]);
        if (updated < replicas)
        {
            return new ArgoCdHealth(Progressing, Invariant($"Waiting for rollout to finish: {updated} out of {replicas} new replicas have been updated..."));
        }

        if (current > updated)
        {
            return new ArgoCdHealth(Progressing, Invariant($"Waiting for rollout to finish: {current - updated} old replicas are pending termination..."));
        }

        if (available < updated)
        {
            return new ArgoCdHealth(Progressing, Invariant($"Waiting for rollout to finish: {available} of {updated} updated replicas are available..."));
        }

        return new ArgoCdHealth(Healthy, null);
    }

    private static long Int(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var number) ? number : 0;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
