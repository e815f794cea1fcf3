using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;

namespace IncidentResponder.Operator.Tests.Support;

/// <summary>
/// What a write to an Incident's status or an action's target looks like, as JSON, for <see cref="CrashPoint"/>
/// predicates: "the write that records this", so a crash point stops the operator exactly before it.
/// </summary>
internal static class IncidentWrites
{
    public static bool HasAction(JsonObject? incident, string phase) =>
        Actions(incident).Any(a => a?["phase"]?.GetValue<string>() == phase);

    /// <summary>A Pending action marked as dispatched: the HTTP flip's "the request may now go out".</summary>
    public static bool HasDispatchedAction(JsonObject? incident) =>
        Actions(incident).Any(a => a?["phase"]?.GetValue<string>() == "Pending" && a["details"]?[ActionRecords.DispatchedAtKey] is not null);

    /// <summary>The incidentresponder.dev/action marker on a target.</summary>
    public static string? ActionMarker(JsonObject? target) =>
        target?["metadata"]?["annotations"]?[WellKnown.ActionAnnotation]?.GetValue<string>();

    /// <summary>The write that turns the intent (Pending) into an applied action (Running): the outcome being recorded.</summary>
    public static CrashPoint BeforeAppliedRecorded() =>
        new("incidents", "status", (obj, old) => HasAction(old, "Pending") && HasAction(obj, "Running"));

    /// <summary>The write that moves one step's action record from one phase to the next.</summary>
    public static CrashPoint BeforeStepPhase(string step, string from, string to) =>
        new("incidents", "status", (obj, old) => StepPhase(old, step) == from && StepPhase(obj, step) == to);

    private static string? StepPhase(JsonObject? incident, string step) =>
        Actions(incident).LastOrDefault(a => a?["step"]?.GetValue<string>() == step)?["phase"]?.GetValue<string>();

    private static IEnumerable<JsonNode?> Actions(JsonObject? incident) =>
        incident?["status"]?["actions"] is JsonArray actions ? actions : [];
}
