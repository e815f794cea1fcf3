using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;

namespace IncidentResponder.Operator.Tests.Scenarios.Workloads;

/// <summary>
/// A CronJob as a target: runs killed for memory open one incident on the CronJob, its job template's limit is raised
/// once (within the cap) for the next run, and the next run succeeding verifies and resolves it; with
/// revertOnResolve the limit goes back once the incident is resolved and stable.
/// </summary>
public sealed class CronJobMemoryRaiseTests
{
    [Fact]
    public async Task A_cronjob_whose_runs_are_oom_killed_gets_memory_raised_once_for_the_next_run_which_succeeds_and_resolves_it()
    {
        await using var runs = await CronJobRuns.StartAsync();
        await runs.Cluster.Kubectl.ApplyAsync(ExhaustionManifests.RunbookAndPolicy());
        await runs.CreateCronJobAsync("oom", memoryNeeded: "160Mi");
        runs.Cluster.StartOperator();

        var failed = await runs.RunToEndAsync(0);
        Assert.Equal(("Failed", "BackoffLimitExceeded"), (failed.Type, failed.Reason));
        await Eventually.TrueAsync(async () => await runs.MemoryLimitAsync() == "192Mi", "the job template's limit raised to 192Mi");
        var mitigating = await runs.IncidentInPhaseAsync(IncidentPhase.Mitigating);
        Assert.Equal(("batch/v1", "CronJob"), (mitigating.Spec.TargetRef.ApiVersion, mitigating.Spec.TargetRef.Kind));
        Assert.Equal(SignalType.OOMKilled, mitigating.Spec.Signal.Type);
        Assert.Contains(runs.JobName(0), mitigating.Spec.Signal.Message, StringComparison.Ordinal);

        var next = await runs.RunToEndAsync(1);
        Assert.Equal("Complete", next.Type);
        var incident = await runs.IncidentInPhaseAsync(IncidentPhase.Resolved);

        var raise = Assert.Single(incident.Status!.Actions!);
        Assert.Equal((ExhaustionManifests.RaiseStep, ActionType.RaiseMemoryLimit, ActionPhase.Succeeded), (raise.Step, raise.Type, raise.Phase));
        Assert.Equal(("128Mi", "192Mi", "256Mi", "CronJob"), (raise.Details!["fromLimit"], raise.Details["toLimit"], raise.Details["cap"], raise.Details["kind"]));
        Assert.Single(runs.OperatorPatches());
        Assert.Equal($"{incident.Metadata.Name}/{ExhaustionManifests.RaiseStep}", (await runs.CronJobAsync()).Metadata.Annotations[WellKnown.ActionAnnotation]);
        var nextJob = await runs.JobAsync(runs.JobName(1));
        Assert.Equal("192Mi", nextJob!.Spec.Template.Spec.Containers[0].Resources.Limits["memory"].ToString());
        Assert.Single(await runs.Cluster.IncidentsAsync());

        var timeline = string.Join("\n", incident.Status.Timeline!.Select(e => e.Message));
        Assert.Contains("raise the memory limit of container report of CronJob report from 128Mi to 192Mi", timeline, StringComparison.Ordinal);
        Assert.Contains("report is Available", timeline, StringComparison.Ordinal);
        var reasons = (await runs.Cluster.EventsAboutAsync("CronJob", CronJobRuns.Name)).Select(e => e.Reason).ToList();
        Assert.Contains("IncidentOpened", reasons);
        Assert.Contains("ActionApplied", reasons);
        Assert.Contains("Resolved", reasons);
    }

    [Fact]
    public async Task A_raise_whose_step_asks_for_revert_on_resolve_is_set_back_once_the_incident_is_resolved_and_stable()
    {
        await using var runs = await CronJobRuns.StartAsync();
        await runs.Cluster.Kubectl.ApplyAsync(ExhaustionManifests.RunbookAndPolicy()
            .Replace("raiseMemoryLimit: {factor: 1.5}", "raiseMemoryLimit: {factor: 1.5, revertOnResolve: true}", StringComparison.Ordinal));
        await runs.CreateCronJobAsync("oom", memoryNeeded: "160Mi");
        var options = OperatorCluster.FastOptions();
        runs.Cluster.StartOperator(options with { Policy = options.Policy with { ScaleBackAfter = TimeSpan.FromSeconds(1) } });

        await runs.RunToEndAsync(0);
        await Eventually.TrueAsync(async () => await runs.MemoryLimitAsync() == "192Mi", "the job template's limit raised to 192Mi");
        Assert.Equal("Complete", (await runs.RunToEndAsync(1)).Type);
        await runs.IncidentInPhaseAsync(IncidentPhase.Resolved);

        await Eventually.TrueAsync(async () => await runs.MemoryLimitAsync() == "128Mi", "the job template's limit set back to 128Mi");
        var incident = await Eventually.ValueAsync(async () => (await runs.Cluster.IncidentsAsync())
            .FirstOrDefault(i => i.Status?.Actions?.Exists(a => a.Step == "revert-" + ExhaustionManifests.RaiseStep && a.Phase == ActionPhase.Succeeded) == true),
            "the revert recorded as succeeded");
        var revert = Assert.Single(incident.Status!.Actions!, a => a.Step == "revert-" + ExhaustionManifests.RaiseStep);
        Assert.Equal((ActionType.RaiseMemoryLimit, "192Mi", "128Mi"), (revert.Type, revert.Details!["fromLimit"], revert.Details["toLimit"]));
        Assert.Equal(2, runs.OperatorPatches().Count);
        Assert.Equal(IncidentPhase.Resolved, incident.Status.Phase);
    }
}
