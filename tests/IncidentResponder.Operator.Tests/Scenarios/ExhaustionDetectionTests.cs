using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;

namespace IncidentResponder.Operator.Tests.Scenarios;

/// <summary>
/// The playbook's first question decides the path: OOM kills on a revision nobody just changed are resource exhaustion
/// (an incident, never a rollback); OOM kills right after a rollout belong to the rollout and are rolled back.
/// </summary>
public sealed class ExhaustionDetectionTests
{
    [Fact]
    public async Task Oom_kills_on_a_stable_revision_open_an_exhaustion_incident_and_nothing_is_rolled_back()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.ApplyRunbookAndPolicyAsync(Exhaustion.StablePolicy);
        await cluster.CreateDeploymentAsync("web");
        await cluster.RevisionSettledAsync("web");
        cluster.StartOperator();

        await cluster.OomRunningPodsAsync("web");
        // The scenario runbook only rolls back recent rollouts, so an exhaustion incident runs out of steps and escalates.
        var incident = await cluster.IncidentInPhaseAsync("web", IncidentPhase.Escalated);

        Assert.Equal(SignalType.OOMKilled, incident.Spec.Signal.Type);
        Assert.Equal("web-oomkilled-r1", incident.Metadata.Name);
        Assert.DoesNotContain(incident.Status!.Actions ?? [], a => a.Type == ActionType.RolloutUndo);
        Assert.Empty(cluster.RollbackPatches("web"));
        Assert.Equal("1", (await cluster.DeploymentAsync("web")).Metadata.Annotations["deployment.kubernetes.io/revision"]);
    }

    [Fact]
    public async Task Oom_kills_right_after_a_rollout_are_rolled_back_not_treated_as_exhaustion()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.ApplyRunbookAndPolicyAsync();
        await cluster.CreateDeploymentAsync("web");
        cluster.StartOperator();

        await cluster.BadRolloutAsync("web", "oom");
        var incident = await cluster.IncidentInPhaseAsync("web", IncidentPhase.Resolved);

        Assert.Equal(SignalType.OOMKilled, incident.Spec.Signal.Type);
        Assert.Equal("web-oomkilled-r2", incident.Metadata.Name);
        var action = Assert.Single(incident.Status!.Actions!);
        Assert.Equal(ActionType.RolloutUndo, action.Type);
        Assert.Equal(ActionPhase.Succeeded, action.Phase);
        Assert.Single(cluster.RollbackPatches("web"));
        Assert.Equal("nginx:1.25", (await cluster.DeploymentAsync("web")).Spec.Template.Spec.Containers[0].Image);
    }
}
