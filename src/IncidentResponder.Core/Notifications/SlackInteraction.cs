using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.People;

namespace IncidentResponder.Core.Notifications;

/// <summary>The Slack user who clicked, as the block_actions payload names them.</summary>
public sealed record SlackUser(string Id, string? Username, string? Name);

/// <summary>A click on one of our buttons: which incident, what the person asks, who they are.</summary>
public sealed record SlackButtonPress(string Namespace, string Incident, PersonCommand Command, SlackUser User, string? ResponseUrl);

/// <summary>The click read from a request, or why the request is not one.</summary>
public sealed record SlackInteractionRead(SlackButtonPress? Press, string? Problem)
{
    public static SlackInteractionRead Of(SlackButtonPress press) => new(press, null);

    public static SlackInteractionRead Not(string problem) => new(null, problem);
}

/// <summary>
/// Reads Slack's interactivity request: an <c>application/x-www-form-urlencoded</c> body whose <c>payload</c> field
/// is the JSON of a <c>block_actions</c> interaction (type, user {id, username, name}, actions [{action_id, value}],
/// response_url). Pure; the signature is checked separately, on the raw body.
/// </summary>
public static class SlackInteraction
{
    /// <summary>Longest "by" an incident's spec accepts.</summary>
    public const int MaxNameLength = 253;

    public const string SlackPrefix = "slack:";

    public static SlackInteractionRead Read(ReadOnlySpan<byte> body)
    {
        if (Form(Encoding.UTF8.GetString(body)).GetValueOrDefault("payload") is not { Length: > 0 } json)
        {
            return SlackInteractionRead.Not("the body has no payload field");
        }

        JsonObject payload;
        try
        {
            payload = JsonNode.Parse(json) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            return SlackInteractionRead.Not("the payload is not a JSON object");
        }

        if (Text(payload, "type") != "block_actions")
        {
            return SlackInteractionRead.Not($"the payload's type is {Text(payload, "type") ?? "missing"}; only block_actions (a button click) is handled");
        }

        if (payload["user"] is not JsonObject user || Text(user, "id") is not { Length: > 0 } userId)
        {
            return SlackInteractionRead.Not("the payload names no user.id");
        }

        // A message's button click carries exactly the one action clicked.
        if (payload["actions"] is not JsonArray { Count: 1 } actions || actions[0] is not JsonObject action)
        {
            return SlackInteractionRead.Not("the payload does not carry one action");
        }

        if (SlackButtons.Read(Text(action, "action_id") ?? string.Empty, Text(action, "value")) is not var (ns, name, command))
        {
            return SlackInteractionRead.Not($"the action {Text(action, "action_id") ?? "(none)"} is not one of incident-responder's buttons");
        }

        return SlackInteractionRead.Of(new SlackButtonPress(ns, name, command, new SlackUser(userId, Text(user, "username"), Text(user, "name")), Text(payload, "response_url")));
    }

    /// <summary>
    /// The name a click is recorded under: the policy's name for this Slack user, else <c>slack:</c> and their Slack
    /// username (or name, or ID), so it is clear the identity is Slack's.
    /// </summary>
    public static string PersonName(IReadOnlyList<SlackUserName>? users, SlackUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (users?.FirstOrDefault(u => u.SlackUserId == user.Id) is { Name.Length: > 0 } known)
        {
            return known.Name;
        }

        var handle = new[] { user.Username, user.Name, user.Id }.First(h => !string.IsNullOrWhiteSpace(h))!.Trim();
        var name = SlackPrefix + handle;
        return name.Length <= MaxNameLength ? name : name[..MaxNameLength];
    }

    /// <summary>application/x-www-form-urlencoded fields ('+' is a space); the first of a repeated name wins.</summary>
    public static IReadOnlyDictionary<string, string> Form(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Decode(equals < 0 ? pair : pair[..equals]);
            fields.TryAdd(key, equals < 0 ? string.Empty : Decode(pair[(equals + 1)..]));
        }

        return fields;
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    private static string? Text(JsonObject node, string key) =>
        node[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
