using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Alerts;
using IncidentResponder.Core.People;

namespace IncidentResponder.Core.Notifications;

/// <summary>One button on an incident's Slack message.</summary>
/// <param name="ActionId">What the button does (the block_actions payload's action_id).</param>
/// <param name="Value">Which incident (and step) it is about: <c>namespace/name</c> or <c>namespace/name/step</c>.</param>
/// <param name="Style">Slack's button style: primary, danger, or null for the default.</param>
public sealed record SlackButton(string ActionId, string Text, string Value, string? Style);

/// <summary>
/// The buttons an incident's Slack message carries and what a click on each one asks: the message and the
/// interactivity endpoint read the same action ids and values from here, so they cannot drift apart.
/// </summary>
public static class SlackButtons
{
    public const string Acknowledge = "incident-acknowledge";
    public const string Approve = "incident-approve";
    public const string Resolve = "incident-resolve";

    /// <summary>The reason recorded for a resolution from Slack, where a button has no text field.</summary>
    public const string ResolveReason = "resolved from Slack";

    /// <summary>Acknowledge and Resolve while the incident is open, and Approve while a step awaits approval.</summary>
    public static IReadOnlyList<SlackButton> For(IncidentUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.Kind == UpdateKind.Resolved || update.Phase is IncidentPhase.Resolved or IncidentPhase.Cancelled)
        {
            return [];
        }

        var incident = $"{update.IncidentNamespace}/{update.IncidentName}";
        var buttons = new List<SlackButton> { new(Acknowledge, "Acknowledge", incident, null) };
        if (update.AwaitingApproval is { Length: > 0 } step)
        {
            buttons.Add(new(Approve, $"Approve {step}", $"{incident}/{step}", "primary"));
        }

        buttons.Add(new(Resolve, "Resolve", incident, "danger"));
        return buttons;
    }

    /// <summary>The incident a button is about and the person's command it stands for; null when it is none of ours.</summary>
    public static (string Namespace, string Name, PersonCommand Command)? Read(string actionId, string? value)
    {
        var parts = (value ?? string.Empty).Split('/');
        if (parts.Length < 2 || !AlertTargetMapper.IsNamespace(parts[0]) || !AlertTargetMapper.IsObjectName(parts[1]))
        {
            return null;
        }

        PersonCommand? command = (actionId, parts.Length) switch
        {
            (Acknowledge, 2) => new PersonCommand.Acknowledge(),
            (Resolve, 2) => new PersonCommand.Resolve(ResolveReason),
            (Approve, 3) when IsStep(parts[2]) => new PersonCommand.Approve(parts[2]),
            _ => null,
        };
        return command is null ? null : (parts[0], parts[1], command);
    }

    // A runbook step's name is a DNS label.
    private static bool IsStep(string step) => step.Length <= 63 && AlertTargetMapper.IsNamespace(step);
}
