using System.Text.Json.Nodes;

namespace IncidentResponder.Simulator.Storage;

/// <summary>
/// events.k8s.io/v1 Events are another view of core/v1 Events (one storage, as in kube-apiserver): the field renames
/// between the two (regarding/involvedObject, note/message, reportingController/reportingComponent, deprecated*).
/// </summary>
internal static class EventViews
{
    private static readonly (string Core, string EventsV1)[] Renames =
    [
        ("involvedObject", "regarding"),
        ("message", "note"),
        ("reportingComponent", "reportingController"),
        ("source", "deprecatedSource"),
        ("firstTimestamp", "deprecatedFirstTimestamp"),
        ("lastTimestamp", "deprecatedLastTimestamp"),
        ("count", "deprecatedCount"),
    ];

    /// <summary>A stored (core/v1) object as the resource <paramref name="view"/> presents it.</summary>
    public static JsonObject FromStorage(ResourceDefinition view, JsonObject stored)
    {
        if (view.StorageType is null)
        {
            return stored;
        }

        var result = new JsonObject { ["kind"] = view.Type.Kind, ["apiVersion"] = view.Type.ApiVersion };
        foreach (var (key, value) in stored.ToList())
        {
            if (key is "kind" or "apiVersion")
            {
                continue;
            }

            stored.Remove(key);
            var renamed = Renames.FirstOrDefault(r => r.Core == key).EventsV1 ?? key;
            result[renamed] = value;
        }

        return result;
    }

    /// <summary>A request body for the resource <paramref name="view"/> in storage (core/v1) form.</summary>
    public static JsonObject ToStorage(ResourceDefinition view, JsonObject body)
    {
        if (view.StorageType is not { } storage)
        {
            return body;
        }

        var result = new JsonObject { ["kind"] = storage.Kind, ["apiVersion"] = storage.ApiVersion };
        foreach (var (key, value) in body.ToList())
        {
            if (key is "kind" or "apiVersion")
            {
                continue;
            }

            body.Remove(key);
            var renamed = Renames.FirstOrDefault(r => r.EventsV1 == key).Core ?? key;
            result[renamed] = value;
        }

        // core/v1 always serializes reportingComponent (no omitempty); events.k8s.io requires reportingController.
        result["reportingComponent"] ??= string.Empty;
        return result;
    }
}
