using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Decisions;
using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Revisions;
using IncidentResponder.Core.Tests.Fixtures;
using static IncidentResponder.Core.Tests.Fixtures.Cluster;

namespace IncidentResponder.Core.Tests.Decisions;

/// <summary>The decider with people in the loop: it stays off a held incident and re-grades an open one from the target.</summary>
public sealed class PeopleDecisionTests
{
    private static readonly DateTimeOffset Now = Clock.At(30);

    private static RunbookSpec Runbook() => new()
    {
        Title = "Note only",
        Signals = [SignalType.CrashLoop],
        Steps = [Runbooks.Step("note", ActionType.Note)],
    };

    /// <summary>Revision 3 rolled out and no replica is ready.</summary>
    private static IncidentContext Outage(IncidentStatus status, Severity? personsSeverity = null)
    {
        var observed = new DetectionInput(Deployment(ready: 0, available: 0, unavailable: 4, revision: 3, conditions: [Unavailable, Updating]), [], []);
        var detection = RolloutFailureDetector.Detect(observed, DetectionThresholds.Default, HysteresisState.Empty, Now);
        return new IncidentContext("inc-1", Namespace, [], status, Runbook(), Guards.ShopPolicy, observed, detection, RevisionHistory.Empty,
            [], [], PersonsSeverity: personsSeverity);
    }

    [Fact]
    public void An_open_incident_is_re_graded_to_sev1_when_no_replica_is_ready()
    {
        var decision = IncidentDecider.Decide(Outage(IncidentStory.Through(1)), Now);

        Assert.Equal(Severity.Sev1, decision.Status.Severity);
        Assert.IsType<IncidentEvent.SeverityChanged>(decision.Events[0]);
        Assert.Contains(decision.Status.Timeline!, e => e.Message == "severity changed: SEV-2 → SEV-1: ready replicas of Deployment web fell to 0 of 4, a full outage");
    }

    [Fact]
    public void A_persons_grade_is_not_re_graded()
    {
        var decision = IncidentDecider.Decide(Outage(IncidentStory.Through(1), personsSeverity: Severity.Sev2), Now);

        Assert.Equal(Severity.Sev2, decision.Status.Severity);
        Assert.DoesNotContain(decision.Events, e => e is IncidentEvent.SeverityChanged);
    }

    [Fact]
    public void An_acknowledged_incident_is_left_to_the_person_holding_it()
    {
        var held = IncidentStory.Through(1);
        held.Phase = IncidentPhase.Acknowledged;

        var decision = IncidentDecider.Decide(Outage(held), Now);

        Assert.Empty(decision.Events);
        Assert.Empty(decision.Effects);
    }
}
