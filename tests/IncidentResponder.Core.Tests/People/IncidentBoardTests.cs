using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.People;
using k8s.Models;

namespace IncidentResponder.Core.Tests.People;

public sealed class IncidentBoardTests
{
    private static readonly DateTime Now = new(2026, 12, 8, 12, 0, 0, DateTimeKind.Utc);

    private static Incident Incident(string name, Severity declared, TimeSpan age, Severity? current = null, Severity? regrade = null, string? heldBy = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "shop", CreationTimestamp = Now - age },
        Spec = new IncidentSpec
        {
            TargetRef = new TargetReference { Name = name },
            Signal = new Signal { Type = SignalType.CrashLoop },
            Severity = declared,
            Regrade = regrade is { } r ? new SeverityRegrade { Severity = r, By = "alice" } : null,
        },
        Status = new IncidentStatus { Severity = current, Phase = IncidentPhase.Detected, People = heldBy is null ? null : new IncidentPeopleStatus { HeldBy = heldBy } },
    };

    [Fact]
    public void Worst_first_then_the_one_waiting_longest()
    {
        var rows = IncidentBoard.Rows(
        [
            Incident("young-sev2", Severity.Sev2, TimeSpan.FromMinutes(1)),
            Incident("old-sev3", Severity.Sev3, TimeSpan.FromHours(3)),
            Incident("old-sev2", Severity.Sev2, TimeSpan.FromMinutes(30)),
            Incident("sev1", Severity.Sev1, TimeSpan.FromSeconds(5)),
        ], Now);

        Assert.Equal(["sev1", "old-sev2", "young-sev2", "old-sev3"], rows.Select(r => r.Name));
        Assert.Equal(["5s", "30m", "1m", "3h"], rows.Select(r => r.Age));
    }

    [Fact]
    public void The_operators_current_severity_wins_then_a_persons_regrade_then_the_declared_one()
    {
        var rows = IncidentBoard.Rows(
        [
            Incident("graded", Severity.Sev4, TimeSpan.Zero, current: Severity.Sev1, regrade: Severity.Sev3),
            Incident("regraded", Severity.Sev4, TimeSpan.Zero, regrade: Severity.Sev2),
            Incident("declared", Severity.Sev3, TimeSpan.Zero),
        ], Now);

        Assert.Equal([("graded", "SEV-1"), ("regraded", "SEV-2"), ("declared", "SEV-3")], rows.Select(r => (r.Name, r.Severity)));
    }

    [Fact]
    public void An_incident_nobody_holds_is_held_by_automation()
    {
        var rows = IncidentBoard.Rows([Incident("held", Severity.Sev2, TimeSpan.Zero, heldBy: "alice"), Incident("free", Severity.Sev2, TimeSpan.Zero)], Now);

        Assert.Equal([("free", IncidentBoard.Automation), ("held", "alice")], rows.Select(r => (r.Name, r.HeldBy)));
    }

    [Theory]
    [InlineData(59, "59s")]
    [InlineData(60, "1m")]
    [InlineData(3599, "59m")]
    [InlineData(3600, "1h")]
    [InlineData(86399, "23h")]
    [InlineData(86400 * 3, "3d")]
    [InlineData(-5, "0s")]
    public void Ages_are_written_in_their_largest_whole_unit_as_kubectl_writes_them(int seconds, string age) =>
        Assert.Equal(age, IncidentBoard.Age(TimeSpan.FromSeconds(seconds)));
}
