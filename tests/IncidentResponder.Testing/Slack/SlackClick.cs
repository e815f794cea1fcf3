using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace IncidentResponder.Testing.Slack;

/// <summary>
/// A button click as Slack delivers it to an app's interactivity request URL: a <c>block_actions</c> payload (shaped
/// as Slack's reference shows it) in an <c>application/x-www-form-urlencoded</c> body, signed as Slack's "Verifying
/// requests" guide says. Computed here on its own, not with the operator's code, so a test checks one against the other.
/// </summary>
public sealed record SlackClick(string ActionId, string Value, string UserId = "U024BE7LH", string Username = "amy.mcgee")
{
    public JsonObject Payload() => new()
    {
        ["type"] = "block_actions",
        ["user"] = new JsonObject { ["id"] = UserId, ["username"] = Username, ["name"] = Username, ["team_id"] = "T0CAG" },
        ["api_app_id"] = "A0CA5",
        ["token"] = "verification-token-no-longer-used",
        ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = "1548261231.000200", ["channel_id"] = "C0CA5", ["is_ephemeral"] = false },
        ["trigger_id"] = "12466734323.1395872398",
        ["team"] = new JsonObject { ["id"] = "T0CAG", ["domain"] = "acme-creamery" },
        ["channel"] = new JsonObject { ["id"] = "C0CA5", ["name"] = "incidents" },
        ["response_url"] = "https://hooks.slack.com/actions/T0CAG/1509734234/abcdef",
        ["actions"] = new JsonArray(new JsonObject
        {
            ["type"] = "button",
            ["block_id"] = "b7Kf",
            ["action_id"] = ActionId,
            ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Click", ["emoji"] = true },
            ["value"] = Value,
            ["action_ts"] = "1548426417.840180",
        }),
    };

    /// <summary>The request body: <c>payload=</c> and the payload's JSON, form-encoded.</summary>
    public string Body() => "payload=" + Uri.EscapeDataString(Payload().ToJsonString());

    /// <summary>X-Slack-Signature for this body at this timestamp: v0= and hex HMAC-SHA256 of "v0:{timestamp}:{body}".</summary>
    public static string Sign(string secret, string timestamp, string body) =>
        "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}")));

    public static string Timestamp(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
