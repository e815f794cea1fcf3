using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;

namespace IncidentResponder.Operator.Tests.Scenarios;

/// <summary>Every reason not to act is honoured and written down: pauses, opt-outs, dry runs, approvals, limits.</summary>
public sealed class GuardrailScenarioTests
{
    private static bool TimelineSays(Incident incident, string text) =>
        incident.Status?.Timeline?.Any(e => e.Message.Contains(text, StringComparison.Ordinal)) == true;

    private static Task<Incident> IncidentWhoseTimelineSaysAsync(OperatorCluster cluster, string text) =>
        Eventually.ValueAsync(async () => (await cluster.IncidentsAsync()).FirstOrDefault(i => TimelineSays(i, text)), $"an incident whose timeline says '{text}'");

    [Fact]
    public async Task A_paused_deployment_is_not_rolled_back_and_the_refusal_is_recorded()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.ApplyRunbookAndPolicyAsync();
        await cluster.CreateDeploymentAsync("web");
        await cluster.BadRolloutAsync("web", "crashloop");
        await Eventually.TrueAsync(async () => (await cluster.Kubectl.RunAsync("get", "pods", "--no-headers")).Stdout.Contains("CrashLoopBackOff", StringComparison.Ordinal),
            "a crash-looping pod of the new revision");
        (await cluster.Kubectl.RunAsync("rollout", "pause", "deployment/web")).ShouldSucceed();
        cluster.StartOperator();

        var incident = await IncidentWhoseTimelineSaysAsync(cluster, "[deployment-paused]");

        Assert.Contains("resume it first", incident.Status!.Timeline!.Last(e => e.Type == TimelineEntryType.Guardrail).Message, StringComparison.Ordinal);
        Assert.Equal(IncidentPhase.Detected, incident.Status.Phase);
        Assert.Empty(cluster.RollbackPatches("web"));
    }

    [Fact]
    public async Task The_opt_out_annotation_keeps_the_operators_hands_off_and_says_so()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.ApplyRunbookAndPolicyAsync();
        await cluster.CreateDeploymentAsync("web");
        (await cluster.Kubectl.RunAsync("annotate", "deployment", "web", $"{WellKnown.PausedAnnotation}=true")).ShouldSucceed();
        cluster.StartOperator();

        await cluster.BadRolloutAsync("web", "crashloop");
        var incident = await IncidentWhoseTimelineSaysAsync(cluster, "[opt-out]");

        Assert.Equal(IncidentPhase.Detected, incident.Status!.Phase);
        Assert.Empty(cluster.RollbackPatches("web"));
        Assert.Equal("nginx:1.26", (await cluster.DeploymentAsync("web")).Spec.Template.Spec.Containers[0].Image);
    }

    [Fact]
    public async Task Dry_run_mode_changes_nothing_and_records_the_server_side_dry_run()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.ApplyRunbookAndPolicyAsync(new PolicySettings { Mode = "DryRun" });
        await cluster.CreateDeploymentAsync("web");
        cluster.StartOperator();

        await cluster.BadRolloutAsync("web", "crashloop");
        var incident = await Eventually.ValueAsync(async () => (await cluster.IncidentsAsync()).FirstOrDefault(i =>
            i.Status?.Actions?.Any(a => a.Phase == ActionPhase.DryRun && a.Details?.ContainsKey("dryRunResult") == true) == true), "a dry-run action with its result");

        var action = incident.Status!.Actions!.First(a => a.Phase == ActionPhase.DryRun);
        Assert.Equal(Manifests.RollbackStep, action.Step);
        Assert.Contains("accepted by the API server", action.Details!["dryRunResult"], StringComparison.Ordinal);
        Assert.Contains("nginx:1.25", action.Details["dryRunResult"], StringComparison.Ordinal);
        Assert.NotEmpty(cluster.DryRunPatches("web"));
        Assert.Empty(cluster.RollbackPatches("web"));
        var deployment = await cluster.DeploymentAsync("web");
        Assert.Equal("nginx:1.26", deployment.Spec.Template.Spec.Containers[0].Image);
        Assert.False(deployment.Metadata.Annotations.ContainsKey(WellKnown.ActionAnnotation));
    }

    [Fact]
    public async Task Require_approval_waits_then_acts_once_a_person_approves_with_kubectl_patch()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.ApplyRunbookAndPolicyAsync(new PolicySettings { Mode = "RequireApproval" });
        await cluster.CreateDeploymentAsync("web");
        cluster.StartOperator();

        await cluster.BadRolloutAsync("web", "crashloop");
        var waiting = await cluster.IncidentInPhaseAsync("web", IncidentPhase.AwaitingApproval);
        Assert.Empty(cluster.RollbackPatches("web"));
        Assert.Contains(waiting.Status!.Actions!, a => a.Phase == ActionPhase.AwaitingApproval && a.Step == Manifests.RollbackStep);

        (await cluster.Kubectl.RunAsync("patch", "incident", waiting.Metadata.Name, "--type=merge", "-p",
            "{\"spec\":{\"approvals\":[{\"step\":\"" + Manifests.RollbackStep + "\",\"by\":\"alice\"}]}}")).ShouldSucceed();
        var resolved = await cluster.IncidentInPhaseAsync("web", IncidentPhase.Resolved);

        Assert.Equal(ActionPhase.Succeeded, Assert.Single(resolved.Status!.Actions!).Phase);
        Assert.Single(cluster.RollbackPatches("web"));
    }

    [Theory]
    [InlineData("10m", null, "[cooldown]")]
    [InlineData("1s", "{count: 1, window: 1h}", "[max-actions-per-target]")]
    public async Task A_second_bad_rollout_within_the_limits_is_not_rolled_back_and_the_timeline_says_why(string cooldown, string? perTarget, string rule)
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.ApplyRunbookAndPolicyAsync(new PolicySettings { Cooldown = cooldown, MaxActionsPerTarget = perTarget });
        await cluster.CreateDeploymentAsync("web");
        cluster.StartOperator();
        await cluster.BadRolloutAsync("web", "crashloop");
        await cluster.IncidentInPhaseAsync("web", IncidentPhase.Resolved);

        await cluster.BadRolloutAsync("web", "imagepull", image: "nginx:1.27");
        var refused = await IncidentWhoseTimelineSaysAsync(cluster, rule);

        Assert.Contains("refused", refused.Status!.Timeline!.Last(e => e.Message.Contains(rule, StringComparison.Ordinal)).Message, StringComparison.Ordinal);
        Assert.Single(cluster.RollbackPatches("web"));
        Assert.Equal("nginx:1.27", (await cluster.DeploymentAsync("web")).Spec.Template.Spec.Containers[0].Image);
    }
}
