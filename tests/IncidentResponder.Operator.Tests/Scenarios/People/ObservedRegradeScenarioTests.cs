using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;
using static IncidentResponder.Operator.Tests.Scenarios.People.PersonPatches;

namespace IncidentResponder.Operator.Tests.Scenarios.People;

/// <summary>The operator re-grades an open incident from what it sees, and a person's grade wins over its own.</summary>
public sealed class ObservedRegradeScenarioTests
{
    // One step that waits for a person's approval (the policy requires it), so the incident stays open and decided on every poll.
    private const string HoldRunbook = """
        apiVersion: incidentresponder.dev/v1alpha1
        kind: Runbook
        metadata:
          name: hold
        spec:
          title: Restart when approved
          severity: SEV-3
          signals: [DependencyFailure, CrashLoop]
          steps:
            - name: restart
              action: {type: RestartRollout}
        """;

    [Fact]
    public async Task A_sev3_incident_is_re_graded_to_sev1_when_ready_replicas_fall_to_zero_and_a_persons_grade_then_holds()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.Kubectl.ApplyAsync(HoldRunbook + "\n---\n" + Manifests.Policy(new PolicySettings { Mode = "RequireApproval" }));
        await cluster.CreateDeploymentAsync("web");
        // Recreate: the next rollout stops every old pod first, so a failing image leaves no replica ready.
        (await cluster.Kubectl.RunAsync("patch", "deployment", "web", "--type=merge", "-p", """{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}""")).ShouldSucceed();
        cluster.StartOperator();

        await cluster.Kubectl.ApplyAsync(Declared("web-slow", "web", "DependencyFailure", "SEV-3", "\n  runbookRef: {name: hold}\n  policyRef: {name: " + Manifests.PolicyName + "}"));
        var waiting = await IncidentAsync(cluster, "web-slow", i => i.Status?.Phase == IncidentPhase.AwaitingApproval, "the restart awaiting approval");
        Assert.Equal(Severity.Sev3, waiting.Status!.Severity);

        await cluster.BadRolloutAsync("web", "crashloop");
        var outage = await IncidentAsync(cluster, "web-slow", i => i.Status?.Severity == Severity.Sev1, "re-graded to SEV-1");
        Assert.Contains(outage.Status!.Timeline!, e => e.Type == TimelineEntryType.Triaged
            && e.Message == "severity changed: SEV-3 → SEV-1: ready replicas of Deployment web fell to 0 of 2, a full outage");

        await PatchAsync(cluster, "web-slow", """{"regrade":{"severity":"SEV-2","by":"carol","reason":"only the admin pages use web"}}""");
        var regraded = await IncidentAsync(cluster, "web-slow", i => i.Status?.Severity == Severity.Sev2, "the person's grade applied");
        Assert.Contains(regraded.Status!.Timeline!, e => e.Message == "severity set to SEV-2 (was SEV-1) by carol: only the admin pages use web");

        // The operator keeps deciding on every poll; a later note is recorded after those decisions and the grade still holds.
        await PatchAsync(cluster, "web-slow", $$$"""{"notes":[{"by":"dan","at":"{{{Now()}}}","text":"vendor confirms"}]}""");
        var noted = await IncidentAsync(cluster, "web-slow", i => i.Status?.Timeline?.Any(e => e.Message == "dan: vendor confirms") == true, "the note recorded");
        Assert.Equal(Severity.Sev2, noted.Status!.Severity);
        Assert.Single(noted.Status.Timeline!, e => e.Message.Contains("→ SEV-1", StringComparison.Ordinal));
    }
}
