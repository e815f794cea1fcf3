using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Decisions;
using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Revisions;
using IncidentResponder.Core.Tests.Fixtures;
using static IncidentResponder.Core.Tests.Fixtures.Cluster;

namespace IncidentResponder.Core.Tests.Decisions;

/// <summary>The intent-first invariant is checked on the decision itself, whatever produced it.</summary>
public sealed class IntentFirstTests
{
    private static readonly ReplicaSetObservation Good = ReplicaSet(2, Clock.T0.AddDays(-3));

    private static IncidentContext Context(IncidentStatus status)
    {
        var observed = new DetectionInput(RollingOut(), [Good], []);
        var detection = RolloutFailureDetector.Detect(observed, Policy.DetectionThresholds.Default, HysteresisState.Empty, Clock.T0);
        return new IncidentContext("inc-1", Namespace, [], status, new RunbookSpec { Title = "t" }, Guards.ShopPolicy, observed, detection,
            RevisionHistory.Empty, [], []);
    }

    private static IncidentDecision Deciding(IncidentStatus status, Effect effect) =>
        new(status, ValueList<IncidentEvent>.Empty, ValueList.Of(effect), "decided");

    [Fact]
    public void A_change_with_its_pending_intent_goes_out()
    {
        var intended = IncidentStateMachine.Apply(IncidentStory.Through(1), IncidentStory.Intent(), Clock.At(1));
        var decision = Deciding(intended, new Effect.RollBack("rollback", 1, Good, "inc-1/rollback", DryRun: false));
        Assert.Same(decision, IntentFirst.Enforce(decision, Context(IncidentStory.Through(1)), Clock.At(1)));
    }

    [Fact]
    public void A_change_whose_record_is_not_pending_is_held_back_and_people_are_told()
    {
        // Attempt 1's record already succeeded: an intent event for it changed nothing, so this change is unrecorded.
        var reopened = IncidentStateMachine.Apply(IncidentStory.Through(5), new IncidentEvent.Reopened(IncidentStory.ImagePull, "again"), Clock.At(220));
        var decision = Deciding(reopened, new Effect.RollBack("rollback", 1, Good, "inc-1/rollback", DryRun: false));

        var enforced = IntentFirst.Enforce(decision, Context(reopened), Clock.At(221));

        Assert.IsType<Effect.Notify>(Assert.Single(enforced.Effects));
        Assert.Equal(IncidentPhase.Escalated, enforced.Status.Phase);
        Assert.Equal(IntentFirst.NotRecordedReason, StatusConditions.Find(enforced.Status.Conditions, Conditions.Escalated)!.Reason);
    }

    [Fact]
    public void Dry_runs_need_no_intent()
    {
        var decision = Deciding(IncidentStory.Through(1), new Effect.RollBack("rollback", 1, Good, "inc-1/rollback", DryRun: true));
        Assert.Same(decision, IntentFirst.Enforce(decision, Context(IncidentStory.Through(1)), Clock.At(1)));
    }
}
