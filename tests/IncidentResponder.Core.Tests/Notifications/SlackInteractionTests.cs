using System.Text;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Notifications;
using IncidentResponder.Core.People;
using IncidentResponder.Testing.Slack;

namespace IncidentResponder.Core.Tests.Notifications;

/// <summary>A Slack button click read from the request body: which incident, what the person asks, who they are.</summary>
public sealed class SlackInteractionTests
{
    private static SlackInteractionRead Read(string body) => SlackInteraction.Read(Encoding.UTF8.GetBytes(body));

    [Fact]
    public void An_approve_click_names_the_incident_the_step_and_the_slack_user()
    {
        var read = Read(new SlackClick(SlackButtons.Approve, "shop/api-outage/rollback").Body());

        var press = Assert.IsType<SlackButtonPress>(read.Press);
        Assert.Equal(("shop", "api-outage"), (press.Namespace, press.Incident));
        Assert.Equal(new PersonCommand.Approve("rollback"), press.Command);
        Assert.Equal(new SlackUser("U024BE7LH", "amy.mcgee", "amy.mcgee"), press.User);
        Assert.Equal("https://hooks.slack.com/actions/T0CAG/1509734234/abcdef", press.ResponseUrl);
    }

    [Fact]
    public void Acknowledge_and_resolve_clicks_become_those_commands_and_resolve_says_it_came_from_slack()
    {
        Assert.Equal(new PersonCommand.Acknowledge(), Read(new SlackClick(SlackButtons.Acknowledge, "shop/api-outage").Body()).Press!.Command);
        Assert.Equal(new PersonCommand.Resolve("resolved from Slack"), Read(new SlackClick(SlackButtons.Resolve, "shop/api-outage").Body()).Press!.Command);
    }

    [Theory]
    [InlineData("incident-approve", "shop/api-outage", "not one of incident-responder's buttons")]
    [InlineData("incident-acknowledge", "shop/api-outage/rollback", "not one of incident-responder's buttons")]
    [InlineData("incident-approve", "shop/api-outage/Not_A_Step", "not one of incident-responder's buttons")]
    [InlineData("incident-resolve", "Shop/api-outage", "not one of incident-responder's buttons")]
    [InlineData("incident-resolve", "shop", "not one of incident-responder's buttons")]
    [InlineData("someone-elses-button", "shop/api-outage", "not one of incident-responder's buttons")]
    public void A_click_on_a_button_that_is_not_ours_or_names_no_incident_is_not_read(string actionId, string value, string problem)
    {
        var read = Read(new SlackClick(actionId, value).Body());
        Assert.Null(read.Press);
        Assert.Contains(problem, read.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "no payload field")]
    [InlineData("token=abc&text=hi", "no payload field")]
    [InlineData("payload=%7Bnot+json", "not a JSON object")]
    [InlineData("payload=%5B1%5D", "not a JSON object")]
    [InlineData("payload=%7B%22type%22%3A%22view_submission%22%7D", "only block_actions")]
    [InlineData("payload=%7B%22type%22%3A%22block_actions%22%2C%22actions%22%3A%5B%5D%7D", "no user.id")]
    public void A_body_that_is_not_a_block_actions_click_says_why(string body, string problem)
    {
        var read = Read(body);
        Assert.Null(read.Press);
        Assert.Contains(problem, read.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_payload_with_two_actions_is_not_a_click()
    {
        var payload = new SlackClick(SlackButtons.Acknowledge, "shop/api-outage").Payload();
        payload["actions"]!.AsArray().Add(payload["actions"]![0]!.DeepClone());
        Assert.Contains("one action", Read("payload=" + Uri.EscapeDataString(payload.ToJsonString())).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_form_decodes_plus_as_space_and_percent_escapes()
    {
        var form = SlackInteraction.Form("payload=a+b%2Bc%26d&x=1&payload=second&flag");
        Assert.Equal("a b+c&d", form["payload"]);
        Assert.Equal("1", form["x"]);
        Assert.Equal(string.Empty, form["flag"]);
    }

    [Fact]
    public void A_slack_user_the_policy_names_is_recorded_under_that_name()
    {
        List<SlackUserName> users = [new() { SlackUserId = "U024BE7LH", Name = "alice" }];
        Assert.Equal("alice", SlackInteraction.PersonName(users, new SlackUser("U024BE7LH", "amy.mcgee", "Amy")));
    }

    [Fact]
    public void Any_other_slack_user_is_recorded_as_slack_and_their_username_else_name_else_id()
    {
        List<SlackUserName> users = [new() { SlackUserId = "U999", Name = "bob" }];
        Assert.Equal("slack:amy.mcgee", SlackInteraction.PersonName(users, new SlackUser("U024BE7LH", "amy.mcgee", "Amy")));
        Assert.Equal("slack:Amy", SlackInteraction.PersonName(null, new SlackUser("U024BE7LH", null, "Amy")));
        Assert.Equal("slack:U024BE7LH", SlackInteraction.PersonName(null, new SlackUser("U024BE7LH", " ", null)));
        Assert.Equal(253, SlackInteraction.PersonName(null, new SlackUser("U1", new string('x', 400), null)).Length);
    }
}
