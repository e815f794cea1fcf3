using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Exhaustion;
using static IncidentResponder.Core.Tests.Fixtures.Cluster;

namespace IncidentResponder.Core.Tests.Exhaustion;

public sealed class ExhaustionSeverityTests
{
    private static readonly Dictionary<SignalType, Severity> None = [];

    [Theory]
    [InlineData(SignalType.OOMKilled, 4, 0, 0, Severity.Sev1)]
    [InlineData(SignalType.OOMKilled, 4, 1, 1, Severity.Sev2)]
    [InlineData(SignalType.OOMKilled, 4, 3, 3, Severity.Sev3)]
    [InlineData(SignalType.OOMKilled, 4, 4, 4, Severity.Sev3)]
    [InlineData(SignalType.RestartStorm, 4, 0, 0, Severity.Sev1)]
    [InlineData(SignalType.RestartStorm, 4, 2, 2, Severity.Sev3)]
    [InlineData(SignalType.RestartStorm, 4, 4, 4, Severity.Sev4)]
    [InlineData(SignalType.DependencyFailure, 4, 4, 4, Severity.Sev3)]
    [InlineData(SignalType.DataIssue, 4, 4, 4, Severity.Sev2)]
    [InlineData(SignalType.DataIssue, 4, 0, 0, Severity.Sev1)]
    public void Covers_sev1_to_sev4_from_the_replica_counts(SignalType signal, int desired, int ready, int available, Severity expected)
    {
        var deployment = Deployment(desired: desired, ready: ready, available: available, unavailable: desired - available);
        var assessment = ExhaustionSeverity.Classify(deployment, signal, None);
        Assert.Equal(expected, assessment.Severity);
        Assert.StartsWith($"SEV-{(int)expected}:", assessment.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_policy_override_wins()
    {
        var assessment = ExhaustionSeverity.Classify(Deployment(ready: 0, available: 0, unavailable: 4), SignalType.OOMKilled,
            new Dictionary<SignalType, Severity> { [SignalType.OOMKilled] = Severity.Sev4 });
        Assert.Equal((Severity.Sev4, "SEV-4: the policy sets OOMKilled to SEV-4"), (assessment.Severity, assessment.Reason));
    }
}
