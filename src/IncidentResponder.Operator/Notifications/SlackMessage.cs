using System.Text.Json.Nodes;
using IncidentResponder.Core.Notifications;

namespace IncidentResponder.Operator.Notifications;

/// <summary>
/// An update as a Slack incoming-webhook message: Block Kit blocks (a header with the incident's headline, the template
/// fields, what changed, the incident's identity, and the buttons when the target has interactivity) and a plain
/// <c>text</c> that notifications and old clients show.
/// </summary>
public static class SlackMessage
{
    // Block Kit limits: header text 150 characters, a section field 2,000, section text 3,000, a button's text 75.
    private const int HeaderLimit = 150;
    private const int FieldLimit = 2000;
    private const int TextLimit = 3000;
    private const int ButtonTextLimit = 75;

    /// <param name="interactive">The target has interactivity: add the incident's buttons (Acknowledge, Approve, Resolve).</param>
    public static JsonObject Build(IncidentUpdate update, bool interactive = false)
    {
        ArgumentNullException.ThrowIfNull(update);
        var fields = IncidentUpdateText.Fields(update);
        var shortFields = new JsonArray();
        foreach (var field in fields.Where(f => f.Label != "Changed"))
        {
            shortFields.Add(Markdown(Cut($"*{field.Label}:*\n{Escape(field.Value)}", FieldLimit)));
        }

        var blocks = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "header",
                ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Cut($"{Icon(update.Kind)} {update.Headline}", HeaderLimit), ["emoji"] = true },
            },
            new JsonObject { ["type"] = "section", ["fields"] = shortFields },
        };
        if (fields.FirstOrDefault(f => f.Label == "Changed") is { } changed)
        {
            var lines = string.Join("\n", changed.Value.Split('\n').Select(line => "• " + Escape(line)));
            blocks.Add(new JsonObject { ["type"] = "section", ["text"] = Markdown(Cut($"*Changed:*\n{lines}", TextLimit)) });
        }

        blocks.Add(new JsonObject
        {
            ["type"] = "context",
            ["elements"] = new JsonArray(Markdown(Escape($"Incident {update.IncidentNamespace}/{update.IncidentName} · deployment {update.Target} · {update.Phase}"))),
        });
        if (interactive && SlackButtons.For(update) is { Count: > 0 } buttons)
        {
            blocks.Add(new JsonObject { ["type"] = "actions", ["elements"] = new JsonArray([.. buttons.Select(Button)]) });
        }

        return new JsonObject { ["text"] = Cut(IncidentUpdateText.Plain(update), TextLimit), ["blocks"] = blocks };
    }

    private static JsonNode Button(SlackButton button)
    {
        var element = new JsonObject
        {
            ["type"] = "button",
            ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Cut(button.Text, ButtonTextLimit) },
            ["action_id"] = button.ActionId,
            ["value"] = button.Value,
        };
        if (button.Style is { } style)
        {
            element["style"] = style;
        }

        return element;
    }

    private static JsonObject Markdown(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };

    private static string Icon(UpdateKind kind) => kind switch
    {
        UpdateKind.Declared => "🚨",
        UpdateKind.Resolved => "✅",
        UpdateKind.Escalated => "📟",
        UpdateKind.Periodic => "⏱️",
        _ => "🔄",
    };

    /// <summary>Slack's mrkdwn control characters, as its formatting guide asks.</summary>
    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Cut(string text, int limit) => text.Length <= limit ? text : text[..(limit - 1)] + "…";
}
