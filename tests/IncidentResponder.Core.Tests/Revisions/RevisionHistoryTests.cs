using IncidentResponder.Core.Revisions;
using IncidentResponder.Core.Tests.Fixtures;
using static IncidentResponder.Core.Tests.Fixtures.Cluster;

namespace IncidentResponder.Core.Tests.Revisions;

public sealed class RevisionHistoryTests
{
    private static readonly TimeSpan Soak = TimeSpan.FromMinutes(5);

    [Fact]
    public void A_revision_soaks_while_fully_available()
    {
        var history = RevisionHistory.Empty.Observe(Deployment(revision: 2), Clock.T0);
        var record = history.Find(2)!;
        Assert.Equal(Clock.T0, record.BecameCurrentAt);
        Assert.Equal(Clock.T0, record.FullyAvailableSince);
        Assert.False(record.Soaked(Soak, Clock.At(299)));
        Assert.True(record.Soaked(Soak, Clock.At(300)));
    }

    [Fact]
    public void An_interruption_restarts_the_stretch_but_remembers_the_longest()
    {
        var history = RevisionHistory.Empty
            .Observe(Deployment(revision: 2), Clock.T0)
            .Observe(Deployment(revision: 2, ready: 3, available: 3, unavailable: 1), Clock.At(120))
            .Observe(Deployment(revision: 2), Clock.At(130));
        var record = history.Find(2)!;
        Assert.Equal(TimeSpan.FromSeconds(120), record.LongestFullyAvailable);
        Assert.Equal(Clock.At(130), record.FullyAvailableSince);
        Assert.False(record.Soaked(Soak, Clock.At(400)));
        Assert.True(record.Soaked(Soak, Clock.At(430)));
    }

    [Fact]
    public void A_new_revision_closes_the_old_ones_stretch()
    {
        var history = RevisionHistory.Empty
            .Observe(Deployment(revision: 2), Clock.T0)
            .Observe(RollingOut(3), Clock.At(600));
        Assert.Equal(TimeSpan.FromSeconds(600), history.Find(2)!.LongestFullyAvailable);
        Assert.Null(history.Find(2)!.FullyAvailableSince);
        Assert.Equal(Clock.At(600), history.Find(3)!.BecameCurrentAt);
        Assert.Null(history.Find(3)!.FullyAvailableSince);
        Assert.True(history.Find(2)!.Soaked(Soak, Clock.At(10_000)));
    }

    [Fact]
    public void Observing_the_same_state_twice_changes_nothing()
    {
        var once = RevisionHistory.Empty.Observe(Deployment(revision: 2), Clock.T0);
        Assert.Equal(once, once.Observe(Deployment(revision: 2), Clock.T0));
    }

    [Fact]
    public void Marking_bad_is_kept_and_idempotent()
    {
        var history = RevisionHistory.Empty.Observe(RollingOut(3), Clock.T0).MarkBad(3, Clock.At(30));
        Assert.True(history.Find(3)!.KnownBad);
        Assert.Equal(history, history.MarkBad(3, Clock.At(60)));
        Assert.True(RevisionHistory.Empty.MarkBad(7, Clock.T0).Find(7)!.KnownBad);
    }
}
