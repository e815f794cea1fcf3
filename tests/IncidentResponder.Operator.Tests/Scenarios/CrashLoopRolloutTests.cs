using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;

namespace IncidentResponder.Operator.Tests.Scenarios;

/// <summary>The product's first story end to end: a crash-looping rollout is detected, rolled back, verified and closed.</summary>
public sealed class CrashLoopRolloutTests
{
    [Fact]
    public async Task A_crash_looping_rollout_is_rolled_back_verified_and_resolved_with_a_complete_record()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.ApplyRunbookAndPolicyAsync();
        await cluster.CreateDeploymentAsync("web");
        cluster.StartOperator();

        await cluster.BadRolloutAsync("web", "crashloop");
        var incident = await cluster.IncidentInPhaseAsync("web", IncidentPhase.Resolved);

        Assert.Equal("web-crashloop-r2", incident.Metadata.Name);
        Assert.Equal(WellKnown.ManagedByValue, incident.Metadata.Labels[WellKnown.ManagedByLabel]);
        Assert.Equal(SignalType.CrashLoop, incident.Spec.Signal.Type);
        Assert.Equal("CrashLoopBackOff", incident.Spec.Signal.Reason);
        Assert.Equal(Manifests.RunbookName, incident.Spec.RunbookRef?.Name);
        var status = incident.Status!;
        Assert.NotNull(status.DetectedAt);
        Assert.NotNull(status.OpenedAt);
        Assert.NotNull(status.MitigatedAt);
        Assert.NotNull(status.ResolvedAt);
        Assert.False(string.IsNullOrEmpty(status.TimeToDetect));
        Assert.False(string.IsNullOrEmpty(status.TimeToMitigate));
        Assert.Contains(status.Change!.Differences!, d => d.Contains("nginx:1.25 → nginx:1.26", StringComparison.Ordinal));

        var action = Assert.Single(status.Actions!);
        Assert.Equal(Manifests.RollbackStep, action.Step);
        Assert.Equal(ActionType.RolloutUndo, action.Type);
        Assert.Equal(ActionPhase.Succeeded, action.Phase);
        Assert.Equal("1", action.Details!["toRevision"]);
        foreach (var type in new[] { TimelineEntryType.Detected, TimelineEntryType.Triaged, TimelineEntryType.Decision, TimelineEntryType.Action, TimelineEntryType.Verification, TimelineEntryType.Phase })
        {
            Assert.Contains(status.Timeline!, e => e.Type == type);
        }

        Assert.StartsWith("Resolved", status.Timeline![^1].Message, StringComparison.Ordinal);

        var deployment = await cluster.DeploymentAsync("web");
        Assert.Equal("nginx:1.25", deployment.Spec.Template.Spec.Containers[0].Image);
        Assert.False(deployment.Spec.Template.Metadata.Annotations?.ContainsKey("sim.incidentresponder.dev/fault") ?? false);
        Assert.Equal($"{incident.Metadata.Name}/{Manifests.RollbackStep}", deployment.Metadata.Annotations[WellKnown.ActionAnnotation]);
        Assert.Single(cluster.RollbackPatches("web"));

        var incidentEvents = (await cluster.EventsAboutAsync(Incident.KindName, incident.Metadata.Name)).Select(e => e.Reason).ToList();
        var deploymentEvents = (await cluster.EventsAboutAsync("Deployment", "web")).Select(e => e.Reason).ToList();
        foreach (var reason in new[] { "IncidentOpened", "ActionIntended", "ActionApplied", "Mitigated", "Resolved" })
        {
            Assert.Contains(reason, incidentEvents);
            Assert.Contains(reason, deploymentEvents);
        }

        var board = (await cluster.Kubectl.RunAsync("get", "inc")).ShouldSucceed().Stdout;
        Assert.Matches(@"NAME\s+SEVERITY\s+PHASE\s+TARGET\s+SIGNAL", board);
        Assert.Matches(@"web-crashloop-r2\s+SEV-\d\s+Resolved\s+web\s+CrashLoop", board);
    }
}
