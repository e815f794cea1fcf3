using System.Text.RegularExpressions;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;

namespace IncidentResponder.Operator.Tests.Scenarios;

/// <summary>
/// The playbook's curl health check as detection and as verification: a rollout whose pods are Ready but answer too
/// slowly is caught by the policy's probe through the API server's service proxy, rolled back, and only resolved once
/// the same GET answers within its budget again.
/// </summary>
public sealed class HealthProbeScenarioTests
{
    [Fact]
    public async Task A_slow_rollout_fails_the_probe_opens_a_health_check_incident_and_is_rolled_back_until_the_probe_recovers()
    {
        await using var cluster = await StartWithWebAsync();
        cluster.StartOperator();

        (await cluster.Kubectl.RunAsync("patch", "deployment", "web", "--type=merge", "-p", ProbeManifests.SlowRolloutPatch())).ShouldSucceed();
        var resolved = await cluster.IncidentInPhaseAsync("web", IncidentPhase.Resolved, TimeSpan.FromSeconds(90));

        Assert.Equal(SignalType.HealthCheckFailing, resolved.Spec.Signal.Type);
        Assert.Equal("HttpProbeFailed", resolved.Spec.Signal.Reason);
        // The evidence of the signal: which probe, the status it got, how late, against which budget.
        Assert.Matches(@"^probe web-health failed 3 times in a row \(threshold 3\): GET service web:http/healthz answered 200 in 1\.\d+s, over its 300ms budget$",
            resolved.Spec.Signal.Message);
        var rollback = Assert.Single(resolved.Status!.Actions!);
        Assert.Equal((ActionType.RolloutUndo, ActionPhase.Succeeded), (rollback.Type, rollback.Phase));
        var timeline = string.Join("\n", resolved.Status.Timeline!.Select(e => e.Message));
        Assert.True(timeline.Contains("Available, HttpProbe held for", StringComparison.Ordinal), timeline);
        Assert.Single(cluster.RollbackPatches("web"));
        var template = (await cluster.DeploymentAsync("web")).Spec.Template;
        Assert.Equal("nginx:1.25", template.Spec.Containers[0].Image);
        // Every probe went through the service proxy, as the operator's RBAC grants it (services/proxy get).
        Assert.Contains(cluster.Cluster.Hooks.AuditLog, r => r is { Verb: "get", Resource: "services", Subresource: "proxy", Name: "web:http" });
    }

    [Fact]
    public async Task The_incident_stays_open_while_the_probe_still_fails_after_the_rollback_and_escalates_naming_what_the_probe_saw()
    {
        await using var cluster = await StartWithWebAsync(verifyWindow: "2s", verifyTimeout: "8s");
        // A slow pod outside the Deployment that the Service also sends requests to: one answer in three is late, too few
        // in a row to open anything, but no verification window can hold while it serves.
        await cluster.Kubectl.ApplyAsync(ProbeManifests.SlowStrayPod);
        await Eventually.TrueAsync(async () => (await cluster.Kubectl.RunAsync("get", "pod", "web-stray", "-o", "jsonpath={.status.containerStatuses[0].ready}")).Stdout == "true",
            "the stray slow pod ready");
        cluster.StartOperator();

        (await cluster.Kubectl.RunAsync("patch", "deployment", "web", "--type=merge", "-p", ProbeManifests.SlowRolloutPatch())).ShouldSucceed();
        var escalated = await cluster.IncidentInPhaseAsync("web", IncidentPhase.Escalated, TimeSpan.FromSeconds(90));

        Assert.Equal(SignalType.HealthCheckFailing, escalated.Spec.Signal.Type);
        Assert.Null(escalated.Status!.ResolvedAt);
        var rollback = Assert.Single(escalated.Status.Actions!, a => a.Type == ActionType.RolloutUndo);
        Assert.Equal(ActionPhase.Failed, rollback.Phase);
        var timeline = string.Join("\n", escalated.Status.Timeline!.Select(e => e.Message));
        // The window restarts at every late answer, so 8s of a Deployment that is Available again never add up to 2s in a row.
        Assert.True(Regex.IsMatch(timeline, @"step rollback failed: timed out after 8s; (healthy for \S+ of 2s|not met: HttpProbe \(GET service web:http/healthz answered 200 in 1\.\d+s, over its 300ms budget\))"), timeline);
        Assert.DoesNotContain(escalated.Status.Timeline!, e => e.Message.Contains("resolved", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The probe runbook and policy, Service web, and Deployment web (nginx:1.25) rolled out and soaked as last known good.</summary>
    private static async Task<OperatorCluster> StartWithWebAsync(string verifyWindow = "2s", string verifyTimeout = "60s")
    {
        var cluster = await OperatorCluster.StartAsync();
        await cluster.Kubectl.ApplyAsync(ProbeManifests.RunbookAndPolicy(verifyWindow, verifyTimeout) + "\n---\n" + ProbeManifests.Service);
        await cluster.CreateDeploymentAsync("web");
        await cluster.RevisionSettledAsync("web");
        return cluster;
    }
}
