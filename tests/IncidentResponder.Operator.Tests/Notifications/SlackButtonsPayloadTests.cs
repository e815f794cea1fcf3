using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Notifications;
using IncidentResponder.Operator.Notifications;

namespace IncidentResponder.Operator.Tests.Notifications;

/// <summary>The buttons on a Slack message: only with interactivity, Approve only while a step awaits it, none once closed.</summary>
public sealed class SlackButtonsPayloadTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 8, 3, 0, 0, TimeSpan.Zero);

    private static IncidentUpdate Update(IncidentPhase phase, UpdateKind kind = UpdateKind.Changed, string? awaiting = null) => new(
        kind, "shop", "api-outage", "uid-1", "api", Severity.Sev2, phase, SignalType.ReadinessFailing, "API returning 503 errors",
        "Users unable to create orders", At.AddMinutes(-2), "incident-responder", "a person", [], At, null, null, null, awaiting);

    private static List<(string ActionId, string Text, string Value)> Buttons(System.Text.Json.Nodes.JsonObject message) =>
        [.. message["blocks"]!.AsArray().Where(b => b!["type"]!.GetValue<string>() == "actions")
            .SelectMany(b => b!["elements"]!.AsArray())
            .Select(e => (e!["action_id"]!.GetValue<string>(), e["text"]!["text"]!.GetValue<string>(), e["value"]!.GetValue<string>()))];

    [Fact]
    public void A_step_awaiting_approval_gets_acknowledge_approve_and_resolve_buttons_naming_the_incident()
    {
        var message = SlackMessage.Build(Update(IncidentPhase.AwaitingApproval, awaiting: "rollback"), interactive: true);

        Assert.Equal(
            [("incident-acknowledge", "Acknowledge", "shop/api-outage"), ("incident-approve", "Approve rollback", "shop/api-outage/rollback"), ("incident-resolve", "Resolve", "shop/api-outage")],
            Buttons(message));
    }

    [Fact]
    public void Without_a_step_awaiting_approval_there_is_no_approve_button()
    {
        Assert.Equal(["incident-acknowledge", "incident-resolve"], Buttons(SlackMessage.Build(Update(IncidentPhase.Mitigating), interactive: true)).Select(b => b.ActionId));
    }

    [Fact]
    public void A_target_without_interactivity_and_a_resolved_incident_get_no_buttons()
    {
        Assert.Empty(Buttons(SlackMessage.Build(Update(IncidentPhase.AwaitingApproval, awaiting: "rollback"))));
        Assert.Empty(Buttons(SlackMessage.Build(Update(IncidentPhase.Resolved, UpdateKind.Resolved), interactive: true)));
    }

    [Fact]
    public void The_update_names_the_step_awaiting_approval_only_while_the_incident_waits()
    {
        var status = new IncidentStatus { Actions = [new ActionRecord { Step = "restart", Phase = ActionPhase.Failed }, new ActionRecord { Step = "rollback", Phase = ActionPhase.AwaitingApproval }] };
        Assert.Equal("rollback", IncidentUpdateBuilder.AwaitingApproval(IncidentPhase.AwaitingApproval, status));
        Assert.Null(IncidentUpdateBuilder.AwaitingApproval(IncidentPhase.Mitigating, status));
    }
}
