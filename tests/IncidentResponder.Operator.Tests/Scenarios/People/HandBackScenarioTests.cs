using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.People;
using IncidentResponder.Operator.Tests.Support;
using static IncidentResponder.Operator.Tests.Scenarios.People.PersonPatches;

namespace IncidentResponder.Operator.Tests.Scenarios.People;

/// <summary>Escalated to people, acknowledged by one, handed back: automation acts again, within its guardrails.</summary>
public sealed class HandBackScenarioTests
{
    [Fact]
    public async Task An_escalated_incident_acknowledged_then_handed_back_is_rolled_back_again_by_automation()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        // Revision 1 never becomes ready, so rolling back to it cannot pass verification and the runbook escalates.
        await cluster.ApplyRunbookAndPolicyAsync(runbook: new RunbookSettings { UndoTo = "Previous", VerifyWindow = "1s", VerifyTimeout = "2s" });
        await cluster.Kubectl.ApplyAsync(WorkloadManifests.UnreadyWeb);
        cluster.StartOperator();

        await cluster.BadRolloutAsync("web", "crashloop");
        var escalated = await cluster.IncidentInPhaseAsync("web", IncidentPhase.Escalated);
        var name = escalated.Metadata.Name;
        Assert.Single(cluster.RollbackPatches("web"));

        await PatchAsync(cluster, name, $$$"""{"acknowledgement":{"by":"bob","at":"{{{Now()}}}"}}""");
        var held = await IncidentAsync(cluster, name, i => i.Status?.Phase == IncidentPhase.Acknowledged, "the incident acknowledged");
        Assert.Equal(("bob", "bob"), (held.Status!.People!.AcknowledgedBy, held.Status.People.HeldBy));
        Assert.Contains(held.Status.Timeline!, e => e.Message == "Acknowledged by bob");

        // While bob holds it, another bad image goes out; nothing acts on it until bob hands the incident back.
        await cluster.BadRolloutAsync("web", "crashloop", image: "nginx:1.27");
        await Eventually.TrueAsync(async () => (await cluster.DeploymentAsync("web")).Metadata.Annotations?["deployment.kubernetes.io/revision"] == "4",
            "revision 4 rolled out");
        Assert.Single(cluster.RollbackPatches("web"));

        await PatchAsync(cluster, name, $$$"""{"handback":{"by":"bob","at":"{{{Now()}}}","reason":"the new image is bad too, roll it back"}}""");
        await Eventually.TrueAsync(() => cluster.RollbackPatches("web").Count == 2, "a second rollback after the hand-back");
        var after = await IncidentAsync(cluster, name, i => i.Status?.Actions?.Count(a => a.Type == ActionType.RolloutUndo) == 2, "the second rollback recorded");

        var second = after.Status!.Actions!.Last(a => a.Type == ActionType.RolloutUndo);
        Assert.Equal("4", second.Details!["fromRevision"]);
        var timeline = after.Status.Timeline!.Select(e => e.Message).ToList();
        var handedBack = timeline.FindIndex(m => m.StartsWith("Handed back: handed back to automation by bob", StringComparison.Ordinal));
        Assert.True(handedBack > timeline.FindIndex(m => m == "Acknowledged by bob"), string.Join("\n", timeline));
        await Eventually.TrueAsync(async () => (await cluster.EventsAboutAsync(Incident.KindName, name)).Any(e => e.Reason == PeopleConditions.Reasons.HandedBack),
            "an Event on the Incident says it was handed back");
    }
}
