using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;

namespace IncidentResponder.Operator.Tests.Scenarios;

/// <summary>Where a rollback goes, and what happens when it does not help.</summary>
public sealed class RevisionScenarioTests
{
    [Fact]
    public async Task Last_known_good_skips_a_previous_revision_that_was_also_bad()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.ApplyRunbookAndPolicyAsync();
        await cluster.CreateDeploymentAsync("web");
        var operatorInstance = cluster.StartOperator();
        var firstLook = await Eventually.ValueAsync(() => Task.FromResult(operatorInstance.Instance.LastDetection(OperatorCluster.Namespace, "web")),
            "the operator observing revision 1 fully Available");
        // The soak is wall-clock time by definition: revision 1 must have served for the policy's 1 s before it changes.
        await Eventually.TrueAsync(() => DateTimeOffset.UtcNow - firstLook.At > TimeSpan.FromSeconds(1.5), "revision 1 soaked");

        // Revision 2 fails while the owner keeps the operator out; revision 3 fails too.
        (await cluster.Kubectl.RunAsync("annotate", "deployment", "web", $"{WellKnown.PausedAnnotation}=true")).ShouldSucceed();
        await cluster.BadRolloutAsync("web", "crashloop");
        await Eventually.ValueAsync(async () => (await cluster.IncidentsAsync()).FirstOrDefault(i => i.Status?.Change?.FailingRevision == 2),
            "an incident blaming revision 2");
        await cluster.BadRolloutAsync("web", "imagepull", image: "nginx:1.27");
        await Eventually.TrueAsync(async () => (await cluster.IncidentsAsync()).Any(i => i.Status?.Signals?.Any(s => s.Type == SignalType.ImagePull) == true),
            "revision 3's image pull failure joining the incident");
        (await cluster.Kubectl.RunAsync("annotate", "deployment", "web", $"{WellKnown.PausedAnnotation}-")).ShouldSucceed();

        var incident = await cluster.IncidentInPhaseAsync("web", IncidentPhase.Resolved);

        var action = Assert.Single(incident.Status!.Actions!);
        Assert.Equal("1", action.Details!["toRevision"]);
        Assert.Contains("last known good", incident.Status.Timeline!.First(e => e.Type == TimelineEntryType.Decision).Message, StringComparison.Ordinal);
        Assert.Equal("nginx:1.25", (await cluster.DeploymentAsync("web")).Spec.Template.Spec.Containers[0].Image);
        Assert.Single(cluster.RollbackPatches("web"));
    }

    [Fact]
    public async Task The_circuit_breaker_escalates_instead_of_acting_again_after_a_rollback_that_did_not_help()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.ApplyRunbookAndPolicyAsync(
            new PolicySettings { CircuitBreakerThreshold = 1 },
            new RunbookSettings { UndoTo = "Previous", VerifyWindow = "1s", VerifyTimeout = "2s", OnFailure = "NextStep", SecondRollback = true });
        // Revision 1 never becomes ready (within the 30 s readiness grace, so it raises no signal of its own).
        await cluster.Kubectl.ApplyAsync(WorkloadManifests.UnreadyWeb);
        cluster.StartOperator();

        await cluster.BadRolloutAsync("web", "crashloop");
        var incident = await cluster.IncidentInPhaseAsync("web", IncidentPhase.Escalated);

        var action = Assert.Single(incident.Status!.Actions!);
        Assert.Equal(ActionPhase.Failed, action.Phase);
        Assert.Equal(Conditions.Reasons.CircuitBreakerOpen, incident.Status.Conditions!.Single(c => c.Type == Conditions.Escalated).Reason);
        Assert.Contains(incident.Status.Timeline!, e => e.Message.Contains("circuit breaker open", StringComparison.Ordinal));
        Assert.Single(cluster.RollbackPatches("web"));
    }
}
