using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;

namespace IncidentResponder.Operator.Tests.Scenarios.People;

/// <summary>The declared incident of config/samples, applied as its comment says, is opened and run by the operator.</summary>
public sealed class SampleIncidentScenarioTests
{
    [Fact]
    public async Task The_sample_incident_applied_with_the_samples_to_a_namespace_running_its_target_is_opened_and_run()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.CreateDeploymentAsync("checkout");
        (await cluster.Kubectl.RunAsync("apply", "-k", RepositoryRoot.Combine("config", "samples"))).ShouldSucceed();
        cluster.StartOperator();

        var incident = await Eventually.ValueAsync(async () => (await cluster.IncidentsAsync())
            .FirstOrDefault(i => i.Metadata.Name == "checkout-503s" && (i.Status?.Actions is { Count: > 0 } || i.Status?.Phase == IncidentPhase.Escalated)),
            "the sample incident opened and its runbook acting or handing it to people");

        Assert.Equal(("jane@example.com", Severity.Sev2), (incident.Status!.People?.DeclaredBy, incident.Status.Severity));
        Assert.Contains(incident.Status.Timeline!, e => e.Message == "SEV-2 as declared by jane@example.com");
        Assert.Equal("True", incident.Status.Conditions!.Single(c => c.Type == Core.People.PeopleConditions.TargetFound).Status);
    }
}
