using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;

namespace IncidentResponder.Operator.Tests.Scenarios;

/// <summary>
/// OOM kills on a Deployment that has only ever had one revision: there is nothing to roll back to, so the decision
/// tree's exhaustion branch must apply (raise memory within the cap) instead of the skipped undo handing the incident
/// straight to "engage additional engineers". And OOM kills must open an incident however short the policy's
/// recent-rollout window is.
/// </summary>
public sealed class FirstDeployOomTests
{
    [Fact]
    public async Task A_first_deploy_that_is_oom_killed_gets_the_sample_runbooks_memory_raise_and_no_escalation()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        (await cluster.Kubectl.RunAsync("apply", "-n", OperatorCluster.Namespace,
            "-f", RepositoryRoot.Combine("config/samples/runbook_decision_tree.yaml"),
            "-f", RepositoryRoot.Combine("config/samples/remediationpolicy_automatic.yaml"))).ShouldSucceed();
        await cluster.Kubectl.ApplyAsync(ExhaustionManifests.Deployment("api"));
        (await cluster.Kubectl.RunAsync("rollout", "status", "deployment/api", "--timeout=60s")).ShouldSucceed();
        cluster.StartOperator();

        // Seconds old, one revision: well inside the sample's 10m recent-rollout window, with no older revision.
        await cluster.OomRunningPodsAsync("api");
        await Eventually.TrueAsync(async () => await cluster.MemoryLimitAsync("api") == "192Mi", "the memory limit raised 1.5x to 192Mi",
            TimeSpan.FromSeconds(90));

        var incident = Assert.Single(await cluster.IncidentsAsync());
        Assert.Equal(SignalType.OOMKilled, incident.Spec.Signal.Type);
        Assert.NotEqual(IncidentPhase.Escalated, incident.Status!.Phase);
        var action = Assert.Single(incident.Status.Actions!);
        Assert.Equal(("raise-memory-limit", ActionType.RaiseMemoryLimit), (action.Step, action.Type));
        Assert.Equal(("128Mi", "192Mi", "256Mi"), (action.Details!["fromLimit"], action.Details["toLimit"], action.Details["cap"]));
        Assert.Single(cluster.RollbackPatches("api"));
    }

    [Fact]
    public async Task Oom_kills_open_an_incident_under_a_one_second_recent_rollout_window()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        // The reported policy: a 1s recent-rollout window and the sample's 20s hold; the Deployment is older than the window.
        await cluster.ApplyRunbookAndPolicyAsync(new PolicySettings { RecentRolloutWindow = "1s", HoldFor = "20s" });
        await cluster.Kubectl.ApplyAsync(ExhaustionManifests.Deployment("api"));
        (await cluster.Kubectl.RunAsync("rollout", "status", "deployment/api", "--timeout=60s")).ShouldSucceed();
        await cluster.RevisionSettledAsync("api");
        cluster.StartOperator();

        await cluster.OomRunningPodsAsync("api");

        var incident = await Eventually.ValueAsync(async () => (await cluster.IncidentsAsync()).FirstOrDefault(i => i.Spec.TargetRef.Name == "api"),
            "an incident for api", TimeSpan.FromSeconds(120));
        Assert.Equal(SignalType.OOMKilled, incident.Spec.Signal.Type);
        Assert.Equal("OOMKilled", incident.Spec.Signal.Reason);
    }
}
