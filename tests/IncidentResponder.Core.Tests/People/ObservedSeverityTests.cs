using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Tests.Fixtures;

namespace IncidentResponder.Core.Tests.People;

public sealed class ObservedSeverityTests
{
    [Fact]
    public void No_ready_replica_left_re_grades_a_sev3_incident_to_sev1_and_says_why()
    {
        var regrade = SeverityAssessment.FromObserved(Severity.Sev3, Cluster.Deployment(desired: 4, ready: 0, available: 0), personsSeverity: null);

        Assert.NotNull(regrade);
        Assert.Equal(Severity.Sev1, regrade.Severity);
        Assert.Equal("SEV-3 → SEV-1: ready replicas of Deployment web fell to 0 of 4, a full outage", regrade.Reason);
    }

    [Fact]
    public void A_persons_severity_holds_against_the_operators_re_grade()
    {
        Assert.Null(SeverityAssessment.FromObserved(Severity.Sev3, Cluster.Deployment(ready: 0, available: 0), personsSeverity: Severity.Sev3));
    }

    [Fact]
    public void A_first_rollout_still_coming_up_is_not_an_outage()
    {
        var starting = Cluster.Deployment(ready: 0, available: 0, revision: 1, conditions: [Cluster.Unavailable, Cluster.Updating]);
        Assert.Null(SeverityAssessment.FromObserved(Severity.Sev3, starting, personsSeverity: null));
    }

    [Theory]
    [InlineData(4, 1)]
    [InlineData(0, 0)]
    public void Some_ready_replicas_or_none_wanted_leave_the_severity_alone(int desired, int ready)
    {
        Assert.Null(SeverityAssessment.FromObserved(Severity.Sev3, Cluster.Deployment(desired: desired, ready: ready), personsSeverity: null));
    }
}
