using System.Net.Http.Headers;
using System.Text;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Notifications;

namespace IncidentResponder.Operator.Notifications;

/// <summary>
/// Delivers one update to one target: reads the target's Secret, builds the receiver's payload (Slack blocks, a
/// CloudEvent, a PagerDuty event) and sends it through the retrying pipeline. Knows nothing of cadence or status.
/// </summary>
public sealed class NotificationSender(TargetSecret secrets, DeliveryPipeline pipeline)
{
    /// <param name="sequence">The update's number for this target (the CloudEvent id's suffix).</param>
    public async Task<DeliveryOutcome> SendAsync(string ns, NotificationTarget target, IncidentUpdate update, int sequence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var (values, reason, problem) = await secrets.ReadAsync(ns, target.SecretRef, cancellationToken).ConfigureAwait(false);
        if (values is null)
        {
            return new DeliveryOutcome.Failed(0, reason!, problem!);
        }

        var value = values[target.SecretRef.Key];
        var url = target.Type == NotificationTargetType.PagerDuty ? values.GetValueOrDefault(TargetSecret.UrlKey, NotificationOptions.PagerDutyEventsUrl) : value;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            var which = target.Type == NotificationTargetType.PagerDuty ? $"key {TargetSecret.UrlKey}" : $"key {target.SecretRef.Key}";
            return new DeliveryOutcome.Failed(0, "invalid_url", $"Secret {target.SecretRef.Name} {which} is not an http(s) URL");
        }

        var (body, contentType) = Payload(target, update, value, sequence);
        return await pipeline.SendAsync(() =>
        {
            var content = new ByteArrayContent(body.ToArray());
            content.Headers.ContentType = contentType;
            return new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = content };
        }, cancellationToken).ConfigureAwait(false);
    }

    private static (ReadOnlyMemory<byte> Body, MediaTypeHeaderValue ContentType) Payload(NotificationTarget target, IncidentUpdate update, string secretValue, int sequence)
    {
        switch (target.Type)
        {
            case NotificationTargetType.Webhook:
                var (body, contentType) = WebhookCloudEvent.Encode(WebhookCloudEvent.Build(update, sequence));
                return (body, MediaTypeHeaderValue.Parse(contentType.ToString()));
            case NotificationTargetType.PagerDuty:
                return (Encoding.UTF8.GetBytes(PagerDutyEvent.Build(update, routingKey: secretValue).ToJsonString()), Json);
            default:
                return (Encoding.UTF8.GetBytes(SlackMessage.Build(update, interactive: target.Interactivity is not null).ToJsonString()), Json);
        }
    }

    private static MediaTypeHeaderValue Json => new("application/json") { CharSet = "utf-8" };
}
