using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;

namespace IncidentResponder.Operator.Tests.Scenarios;

/// <summary>A target that fails again soon after a resolved incident: the incident reopens and is mitigated once more.</summary>
public sealed class ReopenScenarioTests
{
    [Fact]
    public async Task A_second_bad_rollout_reopens_the_incident_and_rolls_back_exactly_once_to_the_last_known_good_revision()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.ApplyRunbookAndPolicyAsync();
        await cluster.CreateDeploymentAsync("web");
        cluster.StartOperator();

        // Revision 2 fails and is rolled back to revision 1's template, which becomes revision 3.
        await cluster.BadRolloutAsync("web", "crashloop");
        var first = await cluster.IncidentInPhaseAsync("web", IncidentPhase.Resolved);
        Assert.Single(cluster.RollbackPatches("web"));

        // Revision 4 fails too, within the reopen window and after the 1 s cooldown (the incident's verify window is 1 s).
        await Eventually.TrueAsync(() => DateTime.UtcNow - first.Status!.ResolvedAt!.Value > TimeSpan.FromSeconds(1), "the cooldown over");
        await cluster.BadRolloutAsync("web", "crashloop", image: "nginx:1.27");
        var incident = await Eventually.ValueAsync(async () =>
        {
            // Fail as soon as a third rollback goes out, instead of waiting for a record that will never settle.
            Assert.True(cluster.RollbackPatches("web").Count <= 2, $"{cluster.RollbackPatches("web").Count} rollback patches sent");
            return (await cluster.IncidentsAsync()).FirstOrDefault(i =>
                i.Status is { Phase: IncidentPhase.Resolved, Actions.Count: >= 2 } status && status.Actions.All(a => a.Phase == ActionPhase.Succeeded));
        }, "the reopened incident resolved again with both rollbacks succeeded");

        Assert.Equal(first.Metadata.Name, incident.Metadata.Name);
        var status = incident.Status!;
        Assert.Equal(2, status.Actions!.Count);
        var (firstRollback, secondRollback) = (status.Actions[0], status.Actions[1]);
        Assert.All(status.Actions, a => Assert.Equal((Manifests.RollbackStep, ActionType.RolloutUndo), (a.Step, a.Type)));
        Assert.Equal(("2", "1"), (firstRollback.Details!["fromRevision"], firstRollback.Details["toRevision"]));
        Assert.Equal(("4", "3"), (secondRollback.Details!["fromRevision"], secondRollback.Details["toRevision"]));
        // Both went back to the same ReplicaSet, nginx:1.25's; each is its own attempt with its own record.
        Assert.Equal(firstRollback.Details["toReplicaSet"], secondRollback.Details["toReplicaSet"]);
        Assert.NotEqual(firstRollback.Attempt ?? 1, secondRollback.Attempt ?? 1);

        // No rollback ever went to a revision an incident blamed: 2 (nginx:1.26) and 4 (nginx:1.27).
        long[] knownBad = [2, 4];
        Assert.All(status.Actions, a => Assert.DoesNotContain(long.Parse(a.Details!["toRevision"], System.Globalization.CultureInfo.InvariantCulture), knownBad));
        Assert.Equal(2, cluster.RollbackPatches("web").Count);
        var deployment = await cluster.DeploymentAsync("web");
        Assert.Equal("nginx:1.25", deployment.Spec.Template.Spec.Containers[0].Image);
        Assert.False(deployment.Spec.Template.Metadata.Annotations?.ContainsKey("sim.incidentresponder.dev/fault") ?? false);
        // The marker names the second attempt, so a restart can tell its patch from the first one's.
        Assert.Equal($"{incident.Metadata.Name}/{Manifests.RollbackStep}/2", deployment.Metadata.Annotations[WellKnown.ActionAnnotation]);

        // The record tells the whole story: resolved, reopened, mitigated again, resolved again.
        var timeline = status.Timeline!.Select(e => e.Message).ToList();
        var reopened = timeline.FindIndex(m => m.StartsWith("Reopened", StringComparison.Ordinal));
        Assert.True(reopened > timeline.FindIndex(m => m.StartsWith("Resolved", StringComparison.Ordinal)), string.Join("\n", timeline));
        Assert.Contains(timeline.Skip(reopened), m => m.Contains("rolled back web to revision 3", StringComparison.Ordinal));
        Assert.StartsWith("Resolved", timeline[^1], StringComparison.Ordinal);
        Assert.Single(await cluster.IncidentsAsync());
    }
}
