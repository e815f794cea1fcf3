using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Tests.Fixtures;
using IncidentResponder.Core.Triage;

namespace IncidentResponder.Core.Tests.Triage;

public sealed class IncidentMatcherTests
{
    private const string Crash = "deployment/web/CrashLoop/r3";
    private static readonly TimeSpan Reopen = TimeSpan.FromMinutes(15);

    private static IncidentSummary Incident(string name, IncidentPhase phase, DateTimeOffset? resolvedAt = null, string target = "web", params string[] fingerprints) =>
        new(name, target, phase, Clock.T0.AddHours(-1), resolvedAt, fingerprints);

    [Fact]
    public void No_incident_opens_one()
    {
        var match = IncidentMatcher.Match("web", Crash, [], Reopen, Clock.T0);
        Assert.Equal((MatchKind.Open, (string?)null), (match.Kind, match.IncidentName));
    }

    [Theory]
    [InlineData(IncidentPhase.Detected)]
    [InlineData(IncidentPhase.Mitigating)]
    [InlineData(IncidentPhase.AwaitingApproval)]
    [InlineData(IncidentPhase.Mitigated)]
    [InlineData(IncidentPhase.Escalated)]
    public void A_new_signal_joins_the_targets_open_incident(IncidentPhase phase)
    {
        var match = IncidentMatcher.Match("web", "deployment/web/ImagePull/r3", [Incident("inc-1", phase, fingerprints: Crash)], Reopen, Clock.T0);
        Assert.Equal((MatchKind.Join, "inc-1"), (match.Kind, match.IncidentName));
        Assert.Contains("already has open incident inc-1", match.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_fingerprint_joins_as_already_recorded()
    {
        var match = IncidentMatcher.Match("web", Crash, [Incident("inc-1", IncidentPhase.Mitigating, fingerprints: Crash)], Reopen, Clock.T0);
        Assert.Equal(MatchKind.Join, match.Kind);
        Assert.Contains("already recorded", match.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Oldest_open_incident_wins_so_duplicates_converge()
    {
        var older = Incident("inc-b", IncidentPhase.Detected) with { OpenedAt = Clock.At(-600) };
        var newer = Incident("inc-a", IncidentPhase.Detected) with { OpenedAt = Clock.At(-60) };
        Assert.Equal("inc-b", IncidentMatcher.Match("web", Crash, [newer, older], Reopen, Clock.T0).IncidentName);
    }

    [Theory]
    [InlineData(-14 * 60, MatchKind.Reopen)]
    [InlineData(-15 * 60, MatchKind.Reopen)]
    [InlineData(-15 * 60 - 1, MatchKind.Open)]
    public void A_recently_resolved_incident_is_reopened_within_the_window(int resolvedSecondsAgo, MatchKind expected) =>
        Assert.Equal(expected, IncidentMatcher.Match("web", Crash,
            [Incident("inc-1", IncidentPhase.Resolved, Clock.At(resolvedSecondsAgo))], Reopen, Clock.T0).Kind);

    [Fact]
    public void The_most_recently_resolved_is_reopened()
    {
        var incidents = new[]
        {
            Incident("inc-1", IncidentPhase.Resolved, Clock.At(-600)),
            Incident("inc-2", IncidentPhase.Resolved, Clock.At(-60)),
        };
        Assert.Equal("inc-2", IncidentMatcher.Match("web", Crash, incidents, Reopen, Clock.T0).IncidentName);
    }

    [Fact]
    public void Incidents_of_other_targets_are_ignored() =>
        Assert.Equal(MatchKind.Open, IncidentMatcher.Match("web", Crash,
            [Incident("inc-api", IncidentPhase.Mitigating, target: "api"), Incident("inc-api2", IncidentPhase.Resolved, Clock.At(-5), "api")],
            Reopen, Clock.T0).Kind);
}
