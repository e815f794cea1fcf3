using System.Globalization;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Notifications;
using IncidentResponder.Operator.Notifications;
using k8s.Autorest;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Intake;

/// <summary>The answer to Slack: a status code and a line a person can read (Slack shows neither; logs and tests do).</summary>
public sealed record SlackAnswer(int StatusCode, string Text);

/// <summary>The JSON body of the answer to Slack.</summary>
public sealed record SlackResponse([property: System.Text.Json.Serialization.JsonPropertyName("text")] string Text);

/// <summary>
/// Slack's interactivity request URL: a click on an incident message's button, applied to the incident's spec as
/// <c>kubectl incident</c> would. The request names the incident, the incident its policy, and only a Slack
/// target of that policy with interactivity names the signing secret the request must be signed with. Whatever is
/// not signed with it, is stale, or was accepted once already is answered 401 and changes nothing.
/// </summary>
public sealed class SlackInteractionHandler(
    IncidentPolicyReader policies, TargetSecret secrets, IncidentCommandWriter writer, SlackReplayMemory replays,
    IReadOnlyCollection<string> watchedNamespaces, TimeProvider time, ILogger logger)
{
    /// <summary>The path the Slack app's Interactivity Request URL points at.</summary>
    public const string Path = "/api/slack/interactivity";

    public const string TimestampHeader = "X-Slack-Request-Timestamp";
    public const string SignatureHeader = "X-Slack-Signature";

    private const string NotAccepted = "this request is not signed with the signing secret of a Slack target with interactivity in the incident's policy";

    public async Task<SlackAnswer> HandleAsync(string? timestamp, string? signature, byte[] body, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            return Refuse($"{TimestampHeader} and {SignatureHeader} are required: Slack signs every request");
        }

        var read = SlackInteraction.Read(body);
        if (read.Press is not { } press)
        {
            return Refuse(read.Problem!);
        }

        if (watchedNamespaces.Count > 0 && !watchedNamespaces.Contains(press.Namespace))
        {
            return Refuse(NotAccepted);
        }

        try
        {
            var interactivity = await InteractivityAsync(press.Namespace, press.Incident, cancellationToken).ConfigureAwait(false);
            if (interactivity.Count == 0)
            {
                return Refuse(NotAccepted);
            }

            var now = time.GetUtcNow();
            var verdict = SlackSignatureVerdict.Mismatch;
            Api.V1Alpha1.SlackInteractivity? matched = null;
            foreach (var candidate in interactivity)
            {
                var (values, _, problem) = await secrets.ReadAsync(press.Namespace, candidate.SigningSecretRef, cancellationToken).ConfigureAwait(false);
                if (values?[candidate.SigningSecretRef.Key] is not { Length: > 0 } secret)
                {
                    logger.LogWarning("Slack request for incident {Namespace}/{Name}: the signing secret cannot be read: {Problem}",
                        press.Namespace, press.Incident, problem ?? "its value is empty");
                    continue;
                }

                verdict = SlackSignature.Verify(secret, timestamp, body, signature, now);
                if (verdict == SlackSignatureVerdict.Valid)
                {
                    matched = candidate;
                    break;
                }

                if (verdict is SlackSignatureVerdict.Stale or SlackSignatureVerdict.Malformed)
                {
                    // The same for every secret: no need to try the others.
                    break;
                }
            }

            if (matched is null)
            {
                return Refuse(verdict switch
                {
                    SlackSignatureVerdict.Stale => $"{TimestampHeader} is more than {SlackSignature.Tolerance.TotalMinutes:0} minutes from now",
                    SlackSignatureVerdict.Malformed => $"{SignatureHeader} or {TimestampHeader} is not in Slack's format (v0=<hex>, Unix seconds)",
                    _ => NotAccepted,
                });
            }

            var signedAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(timestamp, CultureInfo.InvariantCulture));
            // Hex is read in either case: remember one spelling, so the same signature in capitals is a replay too.
            switch (replays.TryRemember(signature.ToLowerInvariant(), signedAt, now))
            {
                case SlackReplayVerdict.Replay:
                    return Refuse("this request was accepted once already; a replay changes nothing");
                case SlackReplayVerdict.Full:
                    return Refuse("too many Slack requests in the last minutes to tell a replay: try again shortly");
            }

            var by = SlackInteraction.PersonName(matched.Users, press.User);
            var outcome = await writer.ApplyAsync(press.Namespace, press.Incident, press.Command, by, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Slack: {Outcome}", outcome.Message);
            return new SlackAnswer(200, outcome.Message);
        }
        catch (Exception error) when (error is HttpOperationException or HttpRequestException)
        {
            // Slack does not retry a click; the person sees no change and clicks again.
            logger.LogWarning("Slack request for incident {Namespace}/{Name} not applied: {Error}", press.Namespace, press.Incident, error.Message);
            return new SlackAnswer(503, "the Kubernetes API could not be reached or refused the change; click again");
        }
    }

    /// <summary>The interactivity of the Slack targets of the incident's policy; none when either is missing.</summary>
    private async Task<IReadOnlyList<Api.V1Alpha1.SlackInteractivity>> InteractivityAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var policy = await policies.ReadAsync(ns, name, cancellationToken).ConfigureAwait(false);
        return [.. (policy?.Spec.Notifications?.Targets ?? [])
            .Where(t => t.Type == NotificationTargetType.Slack && t.Interactivity is not null)
            .Select(t => t.Interactivity!)];
    }

    private static SlackAnswer Refuse(string why) => new(401, why);
}
