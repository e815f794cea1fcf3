using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Tests.Fixtures;
using IncidentResponder.Core.Triage;

namespace IncidentResponder.Core.Tests.Triage;

/// <summary>Which incidents a new signal joins once people hold or close them.</summary>
public sealed class PeoplePhasesMatchTests
{
    private static IncidentSummary Summary(IncidentPhase phase, DateTimeOffset? resolvedAt = null) =>
        new("inc-1", "web", phase, Clock.T0, resolvedAt, ["deployment/web/CrashLoop/r3"]);

    [Theory]
    [InlineData(IncidentPhase.Escalated)]
    [InlineData(IncidentPhase.Acknowledged)]
    public void A_signal_joins_an_incident_people_hold(IncidentPhase phase)
    {
        var match = IncidentMatcher.Match("web", "deployment/web/ImagePull/r4", [Summary(phase)], TimeSpan.FromMinutes(15), Clock.At(60));
        Assert.Equal((MatchKind.Join, "inc-1"), (match.Kind, match.IncidentName));
    }

    [Fact]
    public void A_cancelled_incident_is_closed_a_signal_soon_after_reopens_it_and_a_late_one_opens_a_new_one()
    {
        var cancelled = Summary(IncidentPhase.Cancelled, Clock.At(10));

        Assert.Equal(MatchKind.Reopen, IncidentMatcher.Match("web", "f", [cancelled], TimeSpan.FromMinutes(15), Clock.At(60)).Kind);
        Assert.Equal(MatchKind.Open, IncidentMatcher.Match("web", "f", [cancelled], TimeSpan.FromMinutes(15), Clock.At(3600)).Kind);
    }
}
