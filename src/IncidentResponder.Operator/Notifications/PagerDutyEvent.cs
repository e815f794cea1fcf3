using System.Globalization;
using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Notifications;

namespace IncidentResponder.Operator.Notifications;

/// <summary>
/// An update as a PagerDuty Events API v2 event: trigger (with the payload PagerDuty shows), acknowledge or
/// resolve, all with the incident's stable dedup_key so they land on one alert.
/// </summary>
public static class PagerDutyEvent
{
    private const int SummaryLimit = 1024;

    public static JsonObject Build(IncidentUpdate update, string routingKey)
    {
        ArgumentNullException.ThrowIfNull(update);
        var action = update.PagerDuty ?? PagerDutyAction.Trigger;
        var body = new JsonObject
        {
            ["routing_key"] = routingKey,
            ["event_action"] = action.ToString().ToLowerInvariant(),
            ["dedup_key"] = update.DedupKey,
        };
        if (action != PagerDutyAction.Trigger)
        {
            return body; // acknowledge and resolve name the alert by dedup_key; PagerDuty reads no payload for them
        }

        var summary = $"[{update.SeverityLabel}] {update.What}";
        body["payload"] = new JsonObject
        {
            ["summary"] = summary.Length <= SummaryLimit ? summary : summary[..(SummaryLimit - 3)] + "...",
            ["source"] = $"{update.IncidentNamespace}/deployment/{update.Target}",
            ["severity"] = Severity(update.Severity),
            ["timestamp"] = update.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["component"] = update.Target,
            ["group"] = update.IncidentNamespace,
            ["class"] = update.Signal.ToString(),
            ["custom_details"] = new JsonObject
            {
                ["incident"] = $"{update.IncidentNamespace}/{update.IncidentName}",
                ["headline"] = update.Headline,
                ["impact"] = update.Impact,
                ["since"] = update.Since.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                ["detected_by"] = update.DetectedBy,
                ["acting"] = update.Acting,
                ["phase"] = update.Phase.ToString(),
                ["changes"] = new JsonArray([.. update.Changes.Select(c => (JsonNode)JsonValue.Create(c))]),
            },
        };
        body["client"] = "incident-responder";
        return body;
    }

    /// <summary>The incident severities (Sev1 to Sev4) on PagerDuty's scale.</summary>
    public static string Severity(Severity severity) => severity switch
    {
        Api.V1Alpha1.Severity.Sev1 => "critical",
        Api.V1Alpha1.Severity.Sev2 => "error",
        Api.V1Alpha1.Severity.Sev3 => "warning",
        _ => "info",
    };
}
