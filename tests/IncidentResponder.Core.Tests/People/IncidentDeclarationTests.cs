using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.People;
using IncidentResponder.Core.Tests.Fixtures;
using k8s.Models;
using static IncidentResponder.Core.Tests.People.PeopleFixture;

namespace IncidentResponder.Core.Tests.People;

public sealed class IncidentDeclarationTests
{
    [Fact]
    public void A_declared_incident_opens_with_the_persons_severity_and_says_who_declared_it()
    {
        var status = IncidentDeclaration.Open(null, Spec(), Clock.T0);

        Assert.Equal((IncidentPhase.Detected, Severity.Sev3), (status.Phase, status.Severity));
        Assert.Equal("alice", status.People!.DeclaredBy);
        Assert.Equal("True", Condition(status, PeopleConditions.TargetFound));
        Assert.Equal(
            ["DependencyFailure detected: declared by alice: payments time out", "SEV-3 as declared by alice"],
            status.Timeline!.Select(e => e.Message));
        Assert.Equal(SignalType.DependencyFailure, Assert.Single(status.Signals!).Type);
    }

    [Fact]
    public void Without_declared_by_the_timeline_names_a_person_using_kubectl()
    {
        var spec = Spec();
        spec.DeclaredBy = null;
        Assert.Contains(IncidentDeclaration.Open(null, spec, Clock.T0).Timeline!, e => e.Message == "SEV-3 as declared by a person (kubectl)");
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(IncidentSource.Manual, true)]
    [InlineData(IncidentSource.Detector, false)]
    [InlineData(IncidentSource.Alertmanager, false)]
    public void Only_an_incident_a_person_applied_awaits_declaration(IncidentSource? source, bool awaits)
    {
        var spec = Spec();
        spec.Source = source;
        Assert.Equal(awaits, IncidentDeclaration.AwaitsDeclaration(spec, null));
        Assert.False(IncidentDeclaration.AwaitsDeclaration(spec, Opened(spec)));
    }

    [Fact]
    public void A_missing_target_is_named_with_its_namespace()
    {
        var status = IncidentDeclaration.TargetMissing(null, Spec(), "shop", Clock.T0);

        Assert.Null(status.Phase);
        var condition = StatusConditions.Find(status.Conditions, PeopleConditions.TargetFound)!;
        Assert.Equal(("False", PeopleConditions.Reasons.TargetNotFound), (condition.Status, condition.Reason));
        Assert.StartsWith("Deployment web not found in namespace shop", condition.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SignalType.DependencyFailure, "dependency-runbook")]
    [InlineData(SignalType.DataIssue, "manual-runbook")]
    public void The_runbook_is_the_policys_route_for_the_named_signal_else_its_route_for_manual(SignalType signal, string runbook)
    {
        var policy = new RemediationPolicy
        {
            Metadata = new V1ObjectMeta { Name = "p" },
            Spec = new RemediationPolicySpec
            {
                Signals =
                [
                    new SignalRoute { Signal = SignalType.DependencyFailure, RunbookRef = new LocalObjectReference { Name = "dependency-runbook" } },
                    new SignalRoute { Signal = SignalType.Manual, RunbookRef = new LocalObjectReference { Name = "manual-runbook" } },
                ],
            },
        };

        Assert.Equal(runbook, IncidentDeclaration.RunbookFor(policy, signal));
    }
}
