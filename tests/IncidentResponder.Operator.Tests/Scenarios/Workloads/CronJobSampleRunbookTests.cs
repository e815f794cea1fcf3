using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;

namespace IncidentResponder.Operator.Tests.Scenarios.Workloads;

/// <summary>
/// The decision-tree sample (config/samples) as shipped governs CronJobs too: a CronJob's OOM-killed run is no recent
/// rollout, so the tree takes its exhaustion branch and raises the job template's memory, capped at 2× by default.
/// </summary>
public sealed class CronJobSampleRunbookTests
{
    [Fact]
    public async Task The_sample_decision_tree_raises_the_memory_of_a_cronjob_whose_run_is_oom_killed()
    {
        await using var runs = await CronJobRuns.StartAsync();
        (await runs.Cluster.Kubectl.RunAsync("apply", "-n", OperatorCluster.Namespace,
            "-f", RepositoryRoot.Combine("config/samples/runbook_decision_tree.yaml"),
            "-f", RepositoryRoot.Combine("config/samples/remediationpolicy_automatic.yaml"))).ShouldSucceed();
        await runs.CreateCronJobAsync("oom");
        runs.Cluster.StartOperator();

        await runs.RunToEndAsync(0);
        await Eventually.TrueAsync(async () => await runs.MemoryLimitAsync() == "192Mi", "the job template's limit raised 1.5x to 192Mi");

        var incident = Assert.Single(await runs.Cluster.IncidentsAsync());
        Assert.Equal(("CronJob", SignalType.OOMKilled), (incident.Spec.TargetRef.Kind, incident.Spec.Signal.Type));
        var action = await Eventually.ValueAsync(async () => (await runs.Cluster.IncidentsAsync()).Single().Status?.Actions?
            .FirstOrDefault(a => a.Phase == ActionPhase.Running), "the raise recorded as applied and verifying");
        Assert.Equal(("raise-memory-limit", ActionType.RaiseMemoryLimit), (action.Step, action.Type));
        Assert.Equal(("128Mi", "192Mi", "256Mi"), (action.Details!["fromLimit"], action.Details["toLimit"], action.Details["cap"]));
        Assert.Single(runs.OperatorPatches());
    }
}
