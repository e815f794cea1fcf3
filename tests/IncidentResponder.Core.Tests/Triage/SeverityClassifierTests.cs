using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Triage;
using static IncidentResponder.Core.Tests.Fixtures.Cluster;

namespace IncidentResponder.Core.Tests.Triage;

public sealed class SeverityClassifierTests
{
    private static readonly Dictionary<SignalType, Severity> NoOverrides = [];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Follows_the_seed_table(string because, DeploymentObservation deployment, int oldReady, Severity expected, string reason)
    {
        var assessment = SeverityClassifier.Classify(deployment, oldReady, SignalType.CrashLoop, NoOverrides);
        Assert.True(expected == assessment.Severity, because);
        Assert.Equal(reason, assessment.Reason);
    }

    public static TheoryData<string, DeploymentObservation, int, Severity, string> Cases() => new()
    {
        { "no ready replicas: full outage", Deployment(ready: 0, available: 0, unavailable: 4), 0, Severity.Sev1, "SEV-1: no ready replicas of 4" },
        { "3 of 4 unavailable", Deployment(ready: 1, available: 1, unavailable: 3), 1, Severity.Sev2, "SEV-2: 3 of 4 replicas unavailable" },
        { "exactly half is not more than half", Deployment(ready: 2, available: 2, unavailable: 2), 2, Severity.Sev3,
            "SEV-3: degraded, the previous revision still serves with 2 ready replicas" },
        { "old revision serves", Deployment(ready: 3, available: 3, unavailable: 1), 3, Severity.Sev3,
            "SEV-3: degraded, the previous revision still serves with 3 ready replicas" },
        { "otherwise low", Deployment(ready: 3, available: 3, unavailable: 1), 0, Severity.Sev4, "SEV-4: 3 of 4 replicas ready, limited impact" },
        { "scaled to zero is no outage", Deployment(desired: 0, ready: 0, available: 0, updated: 0), 0, Severity.Sev4,
            "SEV-4: 0 of 0 replicas ready, limited impact" },
    };

    [Fact]
    public void Policy_override_wins_for_its_signal()
    {
        var overrides = new Dictionary<SignalType, Severity> { [SignalType.CrashLoop] = Severity.Sev2 };
        var outage = Deployment(ready: 0, available: 0, unavailable: 4);
        Assert.Equal(new SeverityAssessment(Severity.Sev2, "SEV-2: the policy sets CrashLoop to SEV-2"),
            SeverityClassifier.Classify(outage, 0, SignalType.CrashLoop, overrides));
        Assert.Equal(Severity.Sev1, SeverityClassifier.Classify(outage, 0, SignalType.ImagePull, overrides).Severity);
    }

    [Theory]
    [InlineData(Severity.Sev1, Severity.Sev2, true)]
    [InlineData(Severity.Sev2, Severity.Sev2, true)]
    [InlineData(Severity.Sev3, Severity.Sev2, false)]
    public void At_least_means_as_bad_or_worse(Severity severity, Severity threshold, bool expected) =>
        Assert.Equal(expected, SeverityClassifier.AtLeast(severity, threshold));
}
