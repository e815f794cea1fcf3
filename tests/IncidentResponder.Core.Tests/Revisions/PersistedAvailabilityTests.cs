using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Revisions;
using IncidentResponder.Core.Tests.Fixtures;
using static IncidentResponder.Core.Tests.Fixtures.Cluster;

namespace IncidentResponder.Core.Tests.Revisions;

/// <summary>Last-known-good evidence kept on ReplicaSets, read by an operator that has no memory of its own yet.</summary>
public sealed class PersistedAvailabilityTests
{
    private static readonly TimeSpan Soak = TimeSpan.FromMinutes(5);

    // Revision 2 Available from -1 h; revision 3 created at -10 min and never Available; revision 4 failing now.
    private static ReplicaSetObservation[] Revisions(TimeSpan revision2Served) =>
    [
        ReplicaSet(1, Clock.T0.AddHours(-3)),
        ReplicaSet(2, Clock.T0.AddHours(-2)) with { AvailableSince = Clock.T0.AddMinutes(-10) - revision2Served },
        ReplicaSet(3, Clock.T0.AddMinutes(-10), ready: 0),
        ReplicaSet(4, Clock.T0.AddMinutes(-1), ready: 0),
    ];

    [Fact]
    public void After_a_restart_the_revision_whose_replicaset_records_a_soak_is_chosen_over_a_newer_one_that_never_served()
    {
        var choice = UndoTargetSelector.Select(UndoTarget.LastKnownGood, 4, Revisions(TimeSpan.FromHours(1)), RevisionHistory.Empty, Soak, Clock.T0);
        Assert.Equal(2, choice.Target!.Revision);
        Assert.Contains("last known good", choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recorded_time_counts_only_until_a_newer_revision_replaced_it()
    {
        // Available 4 min before revision 3 replaced it: short of the 5 min soak however long ago that was.
        var choice = UndoTargetSelector.Select(UndoTarget.LastKnownGood, 4, Revisions(TimeSpan.FromMinutes(4)), RevisionHistory.Empty, Soak, Clock.T0);
        Assert.Equal(3, choice.Target!.Revision);
        Assert.Contains("falling back", choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_known_bad_revision_is_skipped_even_with_a_recorded_soak()
    {
        var history = RevisionHistory.Empty.MarkBad(2, Clock.T0);
        var choice = UndoTargetSelector.Select(UndoTarget.LastKnownGood, 4, Revisions(TimeSpan.FromHours(1)), history, Soak, Clock.T0);
        Assert.Equal(3, choice.Target!.Revision);
    }

    [Fact]
    public void The_current_revision_seen_fully_available_is_recorded_on_its_replicaset()
    {
        var history = RevisionHistory.Empty.Observe(Deployment(revision: 2), Clock.T0);
        var evidence = PersistedAvailability.ToRecord(history, 2, [ReplicaSet(1, Clock.At(-900)), ReplicaSet(2, Clock.At(-60))]);
        Assert.Equal(new AvailabilityEvidence("web-h2", Clock.T0), evidence);
    }

    [Fact]
    public void A_replicaset_that_already_records_a_time_is_not_written_again()
    {
        var history = RevisionHistory.Empty.Observe(Deployment(revision: 2), Clock.At(600));
        var recorded = ReplicaSet(2, Clock.At(-60)) with { AvailableSince = Clock.T0 };
        Assert.Null(PersistedAvailability.ToRecord(history, 2, [recorded]));
    }

    [Fact]
    public void A_revision_not_fully_available_records_nothing()
    {
        var history = RevisionHistory.Empty.Observe(Deployment(revision: 2, ready: 3, available: 3, unavailable: 1), Clock.T0);
        Assert.Null(PersistedAvailability.ToRecord(history, 2, [ReplicaSet(2, Clock.At(-60))]));
    }
}
