using System.Globalization;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Operator.Tests.Support;
using k8s;

namespace IncidentResponder.Operator.Tests.Scenarios;

/// <summary>
/// During planned work the operator keeps its hands off: a bad rollout in an open maintenance window is recorded as a
/// dry run naming the window, and rolled back once the window closes.
/// </summary>
public sealed class MaintenanceWindowScenarioTests
{
    private const string Window = "release-freeze";

    private static string Rfc3339(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string OneOff(DateTimeOffset start, DateTimeOffset end) => $"[{{name: {Window}, start: '{Rfc3339(start)}', end: '{Rfc3339(end)}'}}]";

    [Fact]
    public async Task A_bad_rollout_in_an_open_window_is_held_as_a_dry_run_naming_the_window_and_rolled_back_when_it_closes()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        var now = DateTimeOffset.UtcNow;
        await cluster.ApplyRunbookAndPolicyAsync(new PolicySettings { MaintenanceWindows = OneOff(now.AddMinutes(-1), now.AddHours(1)) });
        await cluster.CreateDeploymentAsync("web");
        cluster.StartOperator();

        await cluster.BadRolloutAsync("web", "crashloop");
        var held = await Eventually.ValueAsync(async () => (await cluster.IncidentsAsync()).FirstOrDefault(i =>
            i.Status?.Timeline?.Any(e => e.Message.Contains($"maintenance window {Window} (until ", StringComparison.Ordinal)) == true), "an incident held by the window");

        var action = Assert.Single(held.Status!.Actions!);
        Assert.Equal((Manifests.RollbackStep, ActionPhase.DryRun, Window), (action.Step, action.Phase, action.Details![ActionRecords.HeldByWindowKey]));
        Assert.Contains(held.Status.Timeline!, e => e.Message.Contains($"held step {Manifests.RollbackStep}: dry run", StringComparison.Ordinal));
        Assert.Empty(cluster.RollbackPatches("web"));
        Assert.Equal("nginx:1.26", (await cluster.DeploymentAsync("web")).Spec.Template.Spec.Containers[0].Image);
        Assert.NotEqual(IncidentPhase.Escalated, held.Status.Phase); // held, not walked on to the runbook's escalation

        // The work ends early: the window now closes a few seconds from now, by itself.
        var closesAt = DateTimeOffset.UtcNow.AddSeconds(3);
        await cluster.Kubectl.ApplyAsync(Manifests.Runbook(new RunbookSettings()) + "\n---\n" +
            Manifests.Policy(new PolicySettings { MaintenanceWindows = OneOff(now.AddMinutes(-1), closesAt) }));

        var resolved = await cluster.IncidentInPhaseAsync("web", IncidentPhase.Resolved);
        var rollback = resolved.Status!.Actions!.Last();
        Assert.Equal((Manifests.RollbackStep, 2, ActionPhase.Succeeded), (rollback.Step, rollback.Attempt, rollback.Phase));
        Assert.True(rollback.StartedAt >= closesAt.UtcDateTime.AddSeconds(-1), $"the rollback started at {rollback.StartedAt:O}, before the window closed at {closesAt:O}");
        Assert.Single(cluster.RollbackPatches("web"));
        Assert.Equal("nginx:1.25", (await cluster.DeploymentAsync("web")).Spec.Template.Spec.Containers[0].Image);
    }

    [Fact]
    public async Task A_window_in_an_unknown_time_zone_makes_the_policy_not_ready_naming_the_field()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.ApplyRunbookAndPolicyAsync(new PolicySettings { MaintenanceWindows = "[{name: nightly, schedule: '0 2 * * *', duration: 1h, timeZone: Mars/Olympus}]" });
        cluster.StartOperator();

        var ready = await Eventually.ValueAsync(async () =>
        {
            var policy = await cluster.Client.CustomObjects.GetNamespacedCustomObjectAsync<RemediationPolicy>(GroupVersion.Group, GroupVersion.Version,
                OperatorCluster.Namespace, RemediationPolicy.Plural, Manifests.PolicyName, cancellationToken: TestContext.Current.CancellationToken);
            return policy.Status?.Conditions?.Find(c => c.Type == Conditions.Ready && c.Status == "False");
        }, "the policy's Ready condition false");

        Assert.Equal(MaintenanceWindow.InvalidReason, ready.Reason);
        Assert.StartsWith("spec.maintenanceWindows[nightly].timeZone: \"Mars/Olympus\" is not a known IANA time zone", ready.Message, StringComparison.Ordinal);
    }
}
