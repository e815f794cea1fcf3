using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;

namespace IncidentResponder.Operator.Tests.Scenarios.Workloads;

/// <summary>
/// The CronJob memory raise killed at each of its boundaries: the operator stops exactly there, a second one takes
/// over, and the job template is patched once, with the record complete and the next run verifying it.
/// </summary>
public sealed class CronJobKillAtEveryStepTests
{
    public enum Boundary
    {
        /// <summary>Triage wrote the incident; the raise's intent (Pending) never reached its status.</summary>
        BeforeIntentRecorded,

        /// <summary>The intent is recorded (Pending); the patch never reached the CronJob.</summary>
        BeforeMemoryPatch,

        /// <summary>The job template's limit was raised; the record still says Pending.</summary>
        BeforeAppliedRecorded,
    }

    [Theory]
    [InlineData(Boundary.BeforeIntentRecorded)]
    [InlineData(Boundary.BeforeMemoryPatch)]
    [InlineData(Boundary.BeforeAppliedRecorded)]
    public async Task An_operator_killed_at_any_step_of_the_cronjob_raise_is_replaced_and_the_template_is_patched_once(Boundary boundary)
    {
        await using var runs = await CronJobRuns.StartAsync();
        await runs.Cluster.Kubectl.ApplyAsync(ExhaustionManifests.RunbookAndPolicy());
        await runs.CreateCronJobAsync("oom", memoryNeeded: "160Mi");
        var crash = boundary switch
        {
            Boundary.BeforeIntentRecorded => new CrashPoint("incidents", "status", (obj, old) => !HasAction(old, "Pending") && HasAction(obj, "Pending")),
            Boundary.BeforeMemoryPatch => new CrashPoint("cronjobs", null, (obj, old) => Marker(obj) is not null && Marker(obj) != Marker(old)),
            _ => new CrashPoint("incidents", "status", (obj, old) => HasAction(old, "Pending") && HasAction(obj, "Running")),
        };
        runs.Cluster.Cluster.ClusterStore.AddAdmissionStep(crash);
        var first = runs.Cluster.StartOperator(name: "first");

        await runs.RunToEndAsync(0);
        await crash.Hit.WaitAsync(Eventually.DefaultTimeout, TestContext.Current.CancellationToken);
        await first.DisposeAsync();
        crash.Disarm();
        runs.Cluster.StartOperator(name: "second");

        await Eventually.TrueAsync(async () => await runs.MemoryLimitAsync() == "192Mi", "the job template's limit raised to 192Mi");
        await runs.IncidentInPhaseAsync(IncidentPhase.Mitigating);
        Assert.Equal("Complete", (await runs.RunToEndAsync(1)).Type);
        var incident = await runs.IncidentInPhaseAsync(IncidentPhase.Resolved);

        Assert.Single(runs.OperatorPatches());
        var action = Assert.Single(incident.Status!.Actions!);
        Assert.Equal((ActionPhase.Succeeded, "192Mi"), (action.Phase, action.Details!["toLimit"]));
        Assert.Single(await runs.Cluster.IncidentsAsync());
        if (boundary == Boundary.BeforeAppliedRecorded)
        {
            Assert.Contains(incident.Status.Timeline!, e => e.Message.Contains("found applied", StringComparison.Ordinal));
        }
    }

    private static bool HasAction(JsonObject? incident, string phase) =>
        incident?["status"]?["actions"] is JsonArray actions && actions.Any(a => a?["phase"]?.GetValue<string>() == phase);

    private static string? Marker(JsonObject? cronJob) =>
        cronJob?["metadata"]?["annotations"]?[WellKnown.ActionAnnotation]?.GetValue<string>();
}
