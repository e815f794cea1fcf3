using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.People;
using IncidentResponder.Operator.Tests.Notifications;
using IncidentResponder.Operator.Tests.Support;
using static IncidentResponder.Operator.Tests.Scenarios.People.PersonPatches;

namespace IncidentResponder.Operator.Tests.Scenarios.People;

/// <summary>An incident a person declares with kubectl apply is triaged, run and closed like one the operator detects.</summary>
public sealed class DeclaredIncidentScenarioTests
{
    [Fact]
    public async Task A_declared_incident_is_triaged_runs_its_runbook_and_is_resolved_by_a_person_with_a_reason()
    {
        await using var slack = await Receiver.StartAsync("/services/T0/B0/slacktoken");
        var (cluster, _) = await NotificationScenario.StartAsync(
            [new("slack", "Slack", NotificationManifests.SecretName, "slack-url")], new Dictionary<string, string> { ["slack-url"] = slack.Url });
        await using var _ = cluster;

        // No runbook or policy named: the operator picks the governing policy and its route for the named signal.
        await cluster.Kubectl.ApplyAsync(Declared("checkout-503s", NotificationScenario.Deployment, "ReadinessFailing", "SEV-2"));
        var triaged = await IncidentAsync(cluster, "checkout-503s", i => i.Status?.Phase is not null, "the declared incident triaged");
        Assert.Equal((Manifests.RunbookName, Manifests.PolicyName), (triaged.Spec.RunbookRef?.Name, triaged.Spec.PolicyRef?.Name));
        Assert.Equal(Severity.Sev2, triaged.Status!.Severity);
        Assert.Equal("alice", triaged.Status.People?.DeclaredBy);
        Assert.Contains(triaged.Status.Timeline!, e => e.Message == "SEV-2 as declared by alice");

        // The runbook runs: its last step hands the incident to people.
        var escalated = await cluster.IncidentInPhaseAsync(NotificationScenario.Deployment, IncidentPhase.Escalated);
        Assert.Contains(escalated.Status!.Timeline!, e => e.Message.Contains("step escalate", StringComparison.Ordinal));

        await PatchAsync(cluster, "checkout-503s",
            $$$"""{"resolution":{"outcome":"Resolved","reason":"payment provider recovered","by":"carol","at":"{{{Now()}}}"}}""");
        var resolved = await cluster.IncidentInPhaseAsync(NotificationScenario.Deployment, IncidentPhase.Resolved);

        Assert.Equal(("carol", "payment provider recovered"), (resolved.Status!.People!.ClosedBy, resolved.Status.People.ClosedReason));
        Assert.Equal("Resolved: resolved by carol: payment provider recovered", resolved.Status.Timeline!.Last(e => e.Type == TimelineEntryType.Phase).Message);
        await Eventually.TrueAsync(async () => (await cluster.EventsAboutAsync(Incident.KindName, "checkout-503s"))
            .Any(e => e.Reason == PeopleConditions.Reasons.ResolvedByPerson), "an Event on the Incident says who resolved it");
        await Eventually.TrueAsync(() => slack.Requests.Any(r => r.Body.Contains("resolved by carol: payment provider recovered", StringComparison.Ordinal)),
            "Slack told who resolved it and why");
    }

    [Fact]
    public async Task A_declared_incident_for_a_missing_target_says_so_and_opens_once_the_target_exists()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.ApplyRunbookAndPolicyAsync();
        cluster.StartOperator();

        await cluster.Kubectl.ApplyAsync(Declared("cart-down", "cart", "ReadinessFailing", "SEV-3"));
        var waiting = await IncidentAsync(cluster, "cart-down",
            i => i.Status?.Conditions?.Any(c => c.Type == PeopleConditions.TargetFound && c.Status == "False") == true, "TargetFound=False");
        Assert.Null(waiting.Status!.Phase);
        Assert.StartsWith("Deployment cart not found in namespace default",
            waiting.Status.Conditions!.Single(c => c.Type == PeopleConditions.TargetFound).Message, StringComparison.Ordinal);
        await Eventually.TrueAsync(async () => (await cluster.EventsAboutAsync(Incident.KindName, "cart-down"))
            .Any(e => e.Reason == PeopleConditions.Reasons.TargetNotFound && e.Type == "Warning"), "a Warning Event names the missing target");

        await cluster.CreateDeploymentAsync("cart");
        var opened = await IncidentAsync(cluster, "cart-down", i => i.Status?.Phase is not null, "the incident opened once cart exists");
        Assert.Equal("True", opened.Status!.Conditions!.Single(c => c.Type == PeopleConditions.TargetFound).Status);
        Assert.Equal(Severity.Sev3, opened.Status.Severity);
    }
}
