using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;

namespace IncidentResponder.Operator.Tests.Scenarios.Workloads;

/// <summary>A failed run that was not killed for memory is below the threshold: it pages nobody.</summary>
public sealed class CronJobFlakyRunTests
{
    [Fact]
    public async Task A_single_failed_run_without_an_oom_kill_opens_no_incident()
    {
        await using var runs = await CronJobRuns.StartAsync();
        await runs.Cluster.Kubectl.ApplyAsync(ExhaustionManifests.RunbookAndPolicy());
        await runs.CreateCronJobAsync("crashloop", backoffLimit: 0);
        // A CronJob on the same schedule whose run is OOM-killed: its incident shows the detector has judged the
        // runs that ended at the same moment of the clock, the flaky one included.
        const string control = "control";
        await runs.CreateCronJobAsync("oom", name: control, backoffLimit: 0);
        runs.Cluster.StartOperator();

        var flaky = await runs.RunToEndAsync(0);
        Assert.Equal(("Failed", "BackoffLimitExceeded"), (flaky.Type, flaky.Reason));
        await runs.RunToEndAsync(0, control);
        await runs.Cluster.IncidentInPhaseAsync(control, IncidentPhase.Mitigating);

        var incidents = await runs.Cluster.IncidentsAsync();
        Assert.DoesNotContain(incidents, i => i.Spec.TargetRef.Name == CronJobRuns.Name);
        Assert.Empty(runs.OperatorPatches());
    }
}
