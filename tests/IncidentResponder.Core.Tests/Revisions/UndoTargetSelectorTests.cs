using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Revisions;
using IncidentResponder.Core.Tests.Fixtures;
using static IncidentResponder.Core.Tests.Fixtures.Cluster;

namespace IncidentResponder.Core.Tests.Revisions;

public sealed class UndoTargetSelectorTests
{
    private static readonly TimeSpan Soak = TimeSpan.FromMinutes(5);
    private static readonly ReplicaSetObservation[] Revisions1To4 = [.. Enumerable.Range(1, 4).Select(r => ReplicaSet(r, Clock.T0.AddDays(r - 10)))];

    private static RevisionRecord Good(long revision) => new(revision, Clock.T0.AddDays(-5), null, TimeSpan.FromHours(1));

    private static RevisionRecord Brief(long revision) => new(revision, Clock.T0.AddDays(-1), null, TimeSpan.FromMinutes(1));

    private static RevisionRecord Bad(long revision) => Good(revision) with { KnownBad = true };

    private static RevisionHistory History(params RevisionRecord[] records) => new(ValueList.Of(records));

    [Fact]
    public void Last_known_good_skips_a_bad_previous_revision()
    {
        var choice = UndoTargetSelector.Select(UndoTarget.LastKnownGood, 4, Revisions1To4, History(Good(1), Good(2), Bad(3)), Soak, Clock.T0);
        Assert.Equal(2, choice.Target!.Revision);
        Assert.Equal("revision 2: last known good, fully Available for at least 5m0s; skipped 3 (known bad)", choice.Reason);
    }

    [Fact]
    public void Last_known_good_skips_a_revision_that_never_soaked()
    {
        var choice = UndoTargetSelector.Select(UndoTarget.LastKnownGood, 4, Revisions1To4, History(Good(1), Good(2), Brief(3)), Soak, Clock.T0);
        Assert.Equal(2, choice.Target!.Revision);
        Assert.Contains("3 (not Available for 5m0s)", choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_newest_qualifying_revision_wins() =>
        Assert.Equal(3, UndoTargetSelector.Select(UndoTarget.LastKnownGood, 4, Revisions1To4, History(Good(1), Good(2), Good(3)), Soak, Clock.T0).Target!.Revision);

    [Fact]
    public void A_currently_available_stretch_counts_once_it_is_long_enough()
    {
        var ongoing = new RevisionRecord(3, Clock.At(-400), Clock.At(-301), TimeSpan.Zero);
        Assert.Equal(3, UndoTargetSelector.Select(UndoTarget.LastKnownGood, 4, Revisions1To4, History(ongoing), Soak, Clock.T0).Target!.Revision);
    }

    [Fact]
    public void Falls_back_to_previous_when_none_qualifies()
    {
        var choice = UndoTargetSelector.Select(UndoTarget.LastKnownGood, 4, Revisions1To4, RevisionHistory.Empty, Soak, Clock.T0);
        Assert.Equal(3, choice.Target!.Revision);
        Assert.Contains("falling back", choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_fallback_still_skips_known_bad_revisions() =>
        Assert.Equal(2, UndoTargetSelector.Select(UndoTarget.LastKnownGood, 4, Revisions1To4, History(Bad(3)), Soak, Clock.T0).Target!.Revision);

    [Fact]
    public void Every_older_revision_bad_means_no_target()
    {
        var choice = UndoTargetSelector.Select(UndoTarget.LastKnownGood, 3, Revisions1To4, History(Bad(1), Bad(2)), Soak, Clock.T0);
        Assert.False(choice.Found);
        Assert.StartsWith("every older revision is known bad", choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Previous_is_what_kubectl_picks_even_when_bad()
    {
        var choice = UndoTargetSelector.Select(UndoTarget.Previous, 4, Revisions1To4, History(Bad(3)), Soak, Clock.T0);
        Assert.Equal(3, choice.Target!.Revision);
    }

    [Fact]
    public void Without_older_revisions_there_is_no_history()
    {
        var choice = UndoTargetSelector.Select(UndoTarget.Previous, 1, Revisions1To4, RevisionHistory.Empty, Soak, Clock.T0);
        Assert.Null(choice.Target);
        Assert.StartsWith("no rollout history found", choice.Reason, StringComparison.Ordinal);
    }
}
