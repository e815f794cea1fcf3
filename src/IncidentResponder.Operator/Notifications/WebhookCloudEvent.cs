using System.Net.Mime;
using System.Text.Json.Nodes;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Notifications;

namespace IncidentResponder.Operator.Notifications;

/// <summary>
/// An update for a generic webhook as a CloudEvents 1.0 event in structured JSON mode
/// (<c>application/cloudevents+json</c>), built and encoded with the CNCF SDK.
/// </summary>
public static class WebhookCloudEvent
{
    public const string TypePrefix = "dev.incidentresponder.incident.";

    private static readonly JsonEventFormatter Formatter = new();

    /// <param name="sequence">The target's update number for this incident: with the incident's identity it makes the
    /// event id, so an update re-sent after a crash carries the same id and a receiver can drop the duplicate.</param>
    public static CloudEvent Build(IncidentUpdate update, int sequence)
    {
        ArgumentNullException.ThrowIfNull(update);
        return new CloudEvent(CloudEventsSpecVersion.V1_0)
        {
            Id = $"{update.DedupKey}#{sequence}",
            Source = new Uri($"/apis/{GroupVersion.Group}/{GroupVersion.Version}/namespaces/{update.IncidentNamespace}/incidents/{update.IncidentName}", UriKind.Relative),
            Type = TypePrefix + Type(update.Kind),
            Subject = $"deployment/{update.Target}",
            Time = update.At,
            DataContentType = MediaTypeNames.Application.Json,
            Data = Data(update),
        };
    }

    /// <summary>The structured-mode body and its content type (application/cloudevents+json; charset=utf-8).</summary>
    public static (ReadOnlyMemory<byte> Body, ContentType ContentType) Encode(CloudEvent cloudEvent)
    {
        var body = Formatter.EncodeStructuredModeMessage(cloudEvent, out var contentType);
        return (body, contentType);
    }

    public static string Type(UpdateKind kind) => kind switch
    {
        UpdateKind.Declared => "declared",
        UpdateKind.Periodic => "periodic",
        UpdateKind.Escalated => "escalated",
        UpdateKind.Resolved => "resolved",
        _ => "updated",
    };

    private static JsonObject Data(IncidentUpdate update) => new()
    {
        ["incident"] = new JsonObject { ["namespace"] = update.IncidentNamespace, ["name"] = update.IncidentName, ["uid"] = update.IncidentUid },
        ["target"] = new JsonObject { ["kind"] = "Deployment", ["name"] = update.Target },
        ["headline"] = update.Headline,
        ["severity"] = update.SeverityLabel,
        ["phase"] = update.Phase.ToString(),
        ["signal"] = update.Signal.ToString(),
        ["what"] = update.What,
        ["impact"] = update.Impact,
        ["since"] = update.Since.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["detectedBy"] = update.DetectedBy,
        ["acting"] = update.Acting,
        ["changes"] = new JsonArray([.. update.Changes.Select(c => (JsonNode)JsonValue.Create(c))]),
        ["nextUpdateAt"] = update.NextUpdateAt?.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["text"] = IncidentUpdateText.Plain(update),
    };
}
