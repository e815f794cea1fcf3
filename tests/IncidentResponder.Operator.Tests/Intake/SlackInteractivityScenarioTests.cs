using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Notifications;
using IncidentResponder.Operator.Intake;
using IncidentResponder.Operator.Notifications;
using IncidentResponder.Operator.Tests.Notifications;
using IncidentResponder.Operator.Tests.Support;
using IncidentResponder.Testing.Slack;
using k8s;

namespace IncidentResponder.Operator.Tests.Intake;

/// <summary>
/// Slack buttons end to end: the operator's Slack message carries them, a click signed as Slack signs it writes the
/// person's request into the Incident's spec, and the operator acts on it; whatever is unsigned, wrongly signed,
/// stale, replayed, or for an incident whose policy has no interactivity, changes nothing.
/// </summary>
public sealed class SlackInteractivityScenarioTests
{
    private const string SigningSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string OtherNamespace = "team-b";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task A_signed_approve_click_approves_the_step_as_the_slack_user_and_the_operator_rolls_back_once()
    {
        await using var intake = await IntakeHarness.StartAsync();
        await using var slack = await Receiver.StartAsync("/slack");
        var cluster = intake.Cluster;
        await cluster.Kubectl.ApplyAsync(Secret(slack.Url) + "\n---\n" + RunbookAndPolicy(new PolicySettings { Mode = "RequireApproval" }, interactive: true));
        await cluster.CreateDeploymentAsync("web");
        cluster.StartOperator(OperatorCluster.FastOptions().Configure<NotificationFeature>(f => f with { Options = NotificationScenario.FastDelivery }));

        await cluster.BadRolloutAsync("web", "crashloop");
        var waiting = await cluster.IncidentInPhaseAsync("web", IncidentPhase.AwaitingApproval);
        var approveValue = await Eventually.ValueAsync(
            () => Task.FromResult(slack.Requests.SelectMany(r => Buttons(r.Json)).FirstOrDefault(b => b.ActionId == SlackButtons.Approve).Value),
            "a Slack message with an Approve button");
        Assert.Equal($"{OperatorCluster.Namespace}/{waiting.Metadata.Name}/{Manifests.RollbackStep}", approveValue);

        var click = new SlackClick(SlackButtons.Approve, approveValue, UserId: "U0G9QF9C6", Username: "amy.mcgee").Body();
        var now = DateTimeOffset.UtcNow;
        var stale = SlackClick.Timestamp(now.AddMinutes(-10));
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(intake, click, null, null)).Code);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(intake, click, stale, SlackClick.Sign(SigningSecret, stale, click))).Code);
        var fresh = SlackClick.Timestamp(now);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(intake, click, fresh, SlackClick.Sign("some-other-apps-secret", fresh, click))).Code);
        Assert.Null((await IncidentAsync(cluster, waiting.Metadata.Name)).Spec.Approvals);

        var signature = SlackClick.Sign(SigningSecret, fresh, click);
        var accepted = await PostAsync(intake, click, fresh, signature);
        Assert.Equal(HttpStatusCode.OK, accepted.Code);
        var approval = Assert.Single((await IncidentAsync(cluster, waiting.Metadata.Name)).Spec.Approvals!);
        Assert.Equal((Manifests.RollbackStep, "slack:amy.mcgee"), (approval.Step, approval.By));
        Assert.NotNull(approval.At);

        var resolved = await cluster.IncidentInPhaseAsync("web", IncidentPhase.Resolved);
        Assert.Equal(ActionPhase.Succeeded, Assert.Single(resolved.Status!.Actions!).Phase);
        Assert.Single(cluster.RollbackPatches("web"));

        // The same delivery again, still within five minutes: refused, and the incident's spec is as it was.
        var specBefore = JsonSerializerSpec(await IncidentAsync(cluster, waiting.Metadata.Name));
        var replay = await PostAsync(intake, click, fresh, signature);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.Code);
        Assert.Contains("accepted once already", replay.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(intake, click, fresh, "v0=" + signature[3..].ToUpperInvariant())).Code);
        Assert.Equal(specBefore, JsonSerializerSpec(await IncidentAsync(cluster, waiting.Metadata.Name)));
    }

    [Fact]
    public async Task Acknowledge_and_resolve_clicks_write_the_spec_under_the_name_the_policy_gives_the_slack_user()
    {
        await using var intake = await IntakeHarness.StartAsync();
        var cluster = intake.Cluster;
        await cluster.Kubectl.ApplyAsync(Secret("http://127.0.0.1:9/slack") + "\n---\n" + RunbookAndPolicy(new PolicySettings(), interactive: true)
            + "\n---\n" + IncidentManifest(OperatorCluster.Namespace));

        var acknowledged = await ClickAsync(intake, new SlackClick(SlackButtons.Acknowledge, $"{OperatorCluster.Namespace}/api-outage"));
        Assert.Equal(HttpStatusCode.OK, acknowledged.Code);
        Assert.Equal("alice", (await IncidentAsync(cluster, "api-outage")).Spec.Acknowledgement!.By);

        Assert.Equal(HttpStatusCode.OK, (await ClickAsync(intake, new SlackClick(SlackButtons.Resolve, $"{OperatorCluster.Namespace}/api-outage"))).Code);
        var resolution = (await IncidentAsync(cluster, "api-outage")).Spec.Resolution!;
        Assert.Equal((ResolutionOutcome.Resolved, "resolved from Slack", "alice"), (resolution.Outcome, resolution.Reason, resolution.By));
        Assert.Equal("alice", (await IncidentAsync(cluster, "api-outage")).Spec.Acknowledgement!.By);
    }

    [Fact]
    public async Task A_click_that_loses_a_race_is_built_again_from_a_fresh_read_and_a_lasting_conflict_gives_up_without_a_change()
    {
        await using var intake = await IntakeHarness.StartAsync();
        var cluster = intake.Cluster;
        await cluster.Kubectl.ApplyAsync(Secret("http://127.0.0.1:9/slack") + "\n---\n" + RunbookAndPolicy(new PolicySettings(), interactive: true)
            + "\n---\n" + IncidentManifest(OperatorCluster.Namespace));
        var conflict = new Simulator.FaultRule { Verb = "patch", Resource = Incident.Plural, Name = "api-outage", StatusCode = 409 };

        using (cluster.Cluster.Hooks.InjectFault(conflict with { Times = 2 }))
        {
            Assert.Equal(HttpStatusCode.OK, (await ClickAsync(intake, new SlackClick(SlackButtons.Acknowledge, $"{OperatorCluster.Namespace}/api-outage"))).Code);
        }

        Assert.Equal("alice", (await IncidentAsync(cluster, "api-outage")).Spec.Acknowledgement!.By);
        using (cluster.Cluster.Hooks.InjectFault(conflict))
        {
            var gaveUp = await ClickAsync(intake, new SlackClick(SlackButtons.Resolve, $"{OperatorCluster.Namespace}/api-outage"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, gaveUp.Code);
        }

        Assert.Null((await IncidentAsync(cluster, "api-outage")).Spec.Resolution);
    }

    [Fact]
    public async Task A_click_for_an_incident_declared_without_a_policy_falls_under_the_policy_governing_its_deployment()
    {
        await using var intake = await IntakeHarness.StartAsync();
        var cluster = intake.Cluster;
        await cluster.Kubectl.ApplyAsync(Secret("http://127.0.0.1:9/slack") + "\n---\n" + RunbookAndPolicy(new PolicySettings(), interactive: true)
            + "\n---\n" + IncidentManifest(OperatorCluster.Namespace, target: "web", withPolicy: false));
        var click = new SlackClick(SlackButtons.Acknowledge, $"{OperatorCluster.Namespace}/api-outage", UserId: "U0G9QF9C6", Username: "amy.mcgee");

        Assert.Equal(HttpStatusCode.Unauthorized, (await ClickAsync(intake, click)).Code); // no Deployment web yet: no policy governs it
        await cluster.CreateDeploymentAsync("web");
        Assert.Equal(HttpStatusCode.OK, (await ClickAsync(intake, click)).Code);

        Assert.Equal("slack:amy.mcgee", (await IncidentAsync(cluster, "api-outage")).Spec.Acknowledgement!.By);
    }

    [Fact]
    public async Task A_click_for_an_incident_whose_policy_has_no_interactivity_is_refused_though_signed_with_a_secret_it_holds()
    {
        await using var intake = await IntakeHarness.StartAsync();
        var cluster = intake.Cluster;
        await cluster.Kubectl.ApplyAsync(Secret("http://127.0.0.1:9/slack") + "\n---\n" + RunbookAndPolicy(new PolicySettings(), interactive: true));
        (await cluster.Kubectl.RunAsync("create", "namespace", OtherNamespace)).ShouldSucceed();
        // The other team's policy notifies Slack with the same Secret but turns no buttons on.
        await cluster.Kubectl.ApplyAsync(InNamespace(Secret("http://127.0.0.1:9/slack")) + "\n---\n" + InNamespace(RunbookAndPolicy(new PolicySettings(), interactive: false))
            + "\n---\n" + IncidentManifest(OtherNamespace));
        var mark = intake.AuditMark();

        var refused = await ClickAsync(intake, new SlackClick(SlackButtons.Acknowledge, $"{OtherNamespace}/api-outage"));
        var unknown = await ClickAsync(intake, new SlackClick(SlackButtons.Acknowledge, $"{OperatorCluster.Namespace}/no-such-incident"));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Code);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.Code);
        Assert.Empty(intake.IncidentWritesSince(mark));
        Assert.Null((await IncidentAsync(cluster, "api-outage", OtherNamespace)).Spec.Acknowledgement);
    }

    private static Task<(HttpStatusCode Code, string Text)> ClickAsync(IntakeHarness intake, SlackClick click)
    {
        var body = click.Body();
        var timestamp = SlackClick.Timestamp(DateTimeOffset.UtcNow);
        return PostAsync(intake, body, timestamp, SlackClick.Sign(SigningSecret, timestamp, body));
    }

    /// <summary>POSTs as Slack does: the form body, and the two signing headers when given.</summary>
    private static async Task<(HttpStatusCode Code, string Text)> PostAsync(IntakeHarness intake, string body, string? timestamp, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(intake.Endpoint.Address, SlackInteractionHandler.Path))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        if (timestamp is not null)
        {
            request.Headers.Add(SlackInteractionHandler.TimestampHeader, timestamp);
        }

        if (signature is not null)
        {
            request.Headers.Add(SlackInteractionHandler.SignatureHeader, signature);
        }

        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, JsonNode.Parse(text)?["text"]?.GetValue<string>() ?? text);
    }

    private static IEnumerable<(string ActionId, string? Value)> Buttons(JsonObject message) =>
        (message["blocks"]?.AsArray() ?? [])
            .Where(b => b?["type"]?.GetValue<string>() == "actions")
            .SelectMany(b => b!["elements"]!.AsArray())
            .Select(e => (e!["action_id"]!.GetValue<string>(), e["value"]?.GetValue<string>()));

    private static async Task<Incident> IncidentAsync(OperatorCluster cluster, string name, string ns = OperatorCluster.Namespace) =>
        await cluster.Client.CustomObjects.GetNamespacedCustomObjectAsync<Incident>(
            GroupVersion.Group, GroupVersion.Version, ns, Incident.Plural, name, cancellationToken: TestContext.Current.CancellationToken);

    private static string JsonSerializerSpec(Incident incident) => KubernetesJson.Serialize(incident.Spec);

    private static string Secret(string slackUrl) =>
        NotificationManifests.Secret(new Dictionary<string, string> { ["slack-url"] = slackUrl, ["signing-secret"] = SigningSecret });

    /// <summary>The scenario runbook and policy with a Slack target; with interactivity, Slack user U024BE7LH is "alice".</summary>
    private static string RunbookAndPolicy(PolicySettings policy, bool interactive)
    {
        var interactivity = interactive
            ? ", interactivity: {signingSecretRef: {name: notify, key: signing-secret}, users: [{slackUserId: U024BE7LH, name: alice}]}"
            : string.Empty;
        // The policy document ends inside its spec, two spaces in: spec.notifications goes right after.
        return Manifests.Runbook(new RunbookSettings()) + "\n---\n" + Manifests.Policy(policy)
            + "\n  notifications:\n    targets:\n      - {name: chat, type: Slack, secretRef: {name: notify, key: slack-url}" + interactivity + "}";
    }

    private static string IncidentManifest(string ns, string target = "api", bool withPolicy = true) => $"""
        apiVersion: incidentresponder.dev/v1alpha1
        kind: Incident
        metadata: {"{"}name: api-outage, namespace: {ns}{"}"}
        spec:
          targetRef: {"{"}kind: Deployment, name: {target}{"}"}
          signal: {"{"}type: ReadinessFailing{"}"}
          severity: SEV-2
        """ + (withPolicy ? $"\n  policyRef: {{name: {Manifests.PolicyName}}}" : string.Empty);

    private static string InNamespace(string manifests) =>
        manifests.Replace("metadata:\n", $"metadata:\n  namespace: {OtherNamespace}\n", StringComparison.Ordinal);
}
