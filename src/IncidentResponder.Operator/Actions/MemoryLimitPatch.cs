using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;

namespace IncidentResponder.Operator.Actions;

/// <summary>
/// The JSON Patch of a memory raise. Its <c>test</c> ops make it conditional: the container at that index is still the
/// one named, and its limit is still the value the decision planned from, so a limit somebody changed in between
/// fails the patch (422) instead of being overwritten. The incidentresponder.dev/action marker rides in the same
/// write, so a restart can tell whether the raise happened.
/// </summary>
public static class MemoryLimitPatch
{
    /// <param name="index">The container's index in the live pod template.</param>
    /// <param name="liveLimit">The limit exactly as the API server returned it (the test compares strings).</param>
    /// <param name="liveRequest">The request as returned, when the change moves it.</param>
    /// <param name="hasAnnotations">The workload has an annotations map (an "add" into a missing map fails).</param>
    /// <param name="templatePath">Where the pod template is: /spec/template in a Deployment, /spec/jobTemplate/spec/template in a CronJob.</param>
    public static string Build(
        int index, ActionChange.SetMemoryLimit change, string liveLimit, string? liveRequest, bool hasAnnotations, string actionAnnotation, string templatePath = "/spec/template")
    {
        var container = $"{templatePath}/spec/containers/{index}";
        var patch = new JsonArray
        {
            JsonPatchOps.Operation("test", $"{container}/name", change.Container),
            JsonPatchOps.Operation("test", $"{container}/resources/limits/memory", liveLimit),
            JsonPatchOps.Operation("replace", $"{container}/resources/limits/memory", change.ToLimit.ToString()),
        };
        if (change.ToRequest is { } request && change.ToRequest != change.FromRequest && liveRequest is not null)
        {
            patch.Add(JsonPatchOps.Operation("test", $"{container}/resources/requests/memory", liveRequest));
            patch.Add(JsonPatchOps.Operation("replace", $"{container}/resources/requests/memory", request.ToString()));
        }

        patch.Add(hasAnnotations
            ? JsonPatchOps.Operation("add", "/metadata/annotations/" + Escape(WellKnown.ActionAnnotation), actionAnnotation)
            : JsonPatchOps.Operation("add", "/metadata/annotations", new JsonObject { [WellKnown.ActionAnnotation] = actionAnnotation }));
        return patch.ToJsonString();
    }

    /// <summary>RFC 6901: "~" and "/" inside a key are written "~0" and "~1".</summary>
    public static string Escape(string key) => key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
