using System.Globalization;
using System.Text.Json;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Decisions;
using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Revisions;
using IncidentResponder.Core.Time;
using IncidentResponder.Core.Tests.Fixtures;
using static IncidentResponder.Core.Tests.Fixtures.Cluster;

namespace IncidentResponder.Core.Tests.Decisions;

/// <summary>A step an open maintenance window holds is recorded once, named, and decided again when the window closes.</summary>
public sealed class MaintenanceHoldTests
{
    private static readonly ReplicaSetObservation Good = ReplicaSet(2, Clock.T0.AddDays(-3), replicas: 2, ready: 2);
    private static readonly ReplicaSetObservation Bad = ReplicaSet(3, Clock.At(-60), replicas: 2, ready: 0);
    private static readonly RevisionHistory History = new(ValueList.Of(new RevisionRecord(2, Clock.T0.AddDays(-3), null, TimeSpan.FromDays(3))));

    /// <summary>Open from before T0 until T0 + 10 minutes.</summary>
    private static readonly EffectivePolicy Policy = Guards.ShopPolicy with
    {
        Windows = MaintenanceWindows.From([
            new Api.V1Alpha1.MaintenanceWindow { Name = "db-upgrade", Start = Clock.T0.AddHours(-1).ToString("O", CultureInfo.InvariantCulture), End = Clock.T0.AddMinutes(10).ToString("O", CultureInfo.InvariantCulture) },
        ]),
    };

    private static readonly DateTimeOffset AfterWindow = Clock.T0.AddMinutes(10);

    private static RunbookSpec Runbook() => new()
    {
        Title = "Bad rollout",
        Signals = [SignalType.CrashLoop],
        Steps =
        [
            Runbooks.Step("rollback", ActionType.RolloutUndo, new StepCondition { RecentRollout = true }),
            Runbooks.Step("page", ActionType.Escalate),
        ],
    };

    private static IncidentContext Context(IncidentStatus status, DateTimeOffset now)
    {
        var observed = new DetectionInput(RollingOut(), [Good, Bad],
            [HealthyPod("good-1", 2), HealthyPod("good-2", 2), CrashLooping("bad-1", 3), CrashLooping("bad-2", 3)]);
        var detection = RolloutFailureDetector.Detect(observed, DetectionThresholds.Default with { HoldFor = TimeSpan.Zero }, HysteresisState.Empty, now);
        return new IncidentContext("inc-1", Namespace, [], status, Runbook(), Policy, observed, detection, History, [], []);
    }

    private static IncidentDecision Decide(IncidentStatus status, DateTimeOffset now) => IncidentDecider.Decide(Context(status, now), now);

    [Fact]
    public void During_the_window_the_rollback_is_a_dry_run_that_names_the_window_in_the_record_and_the_timeline()
    {
        var held = Decide(IncidentStory.Through(1), Clock.At(1));

        var action = Assert.Single(held.Status.Actions!);
        Assert.Equal((ActionPhase.DryRun, "db-upgrade", "2026-01-01T12:10:00Z"),
            (action.Phase, action.Details![ActionRecords.HeldByWindowKey], action.Details[ActionRecords.HeldUntilKey]));
        Assert.Contains(held.Status.Timeline!, e => e.Message.Contains(
            "maintenance window db-upgrade (until 2026-01-01T12:10:00Z) held step rollback: dry run", StringComparison.Ordinal));
        Assert.True(Assert.IsType<Effect.RollBack>(Assert.Single(held.Effects)).DryRun);
    }

    [Fact]
    public void While_the_window_stays_open_later_reconciles_change_nothing_and_do_not_walk_on_to_the_next_step()
    {
        var held = Decide(IncidentStory.Through(1), Clock.At(1));

        var again = Decide(held.Status, Clock.At(300));

        Assert.Empty(again.Events);
        Assert.Empty(again.Effects);
        Assert.Equal(JsonSerializer.Serialize(held.Status), JsonSerializer.Serialize(again.Status));
    }

    [Fact]
    public void When_the_window_closes_the_held_rollback_is_decided_again_and_applied()
    {
        var held = Decide(IncidentStory.Through(1), Clock.At(1));

        var released = Decide(held.Status, AfterWindow);

        var intent = released.Status.Actions!.Last();
        Assert.Equal(("rollback", 2, ActionPhase.Pending), (intent.Step, intent.Attempt, intent.Phase));
        Assert.False(Assert.IsType<Effect.RollBack>(Assert.Single(released.Effects)).DryRun);
        Assert.Equal(ActionPhase.DryRun, released.Status.Actions![0].Phase); // the held record stays as history
    }

    [Fact]
    public void A_held_incident_is_looked_at_again_when_the_window_closes()
    {
        var held = Decide(IncidentStory.Through(1), Clock.At(1));

        var look = IncidentLookAgain.After(held.Status, Context(held.Status, Clock.At(1)), Clock.At(1));

        Assert.Equal(new NextLook(AfterWindow, Poll: true), look);
    }

    [Fact]
    public void An_incident_no_window_holds_is_polled_as_before()
    {
        var look = IncidentLookAgain.After(IncidentStory.Through(1), Context(IncidentStory.Through(1), Clock.At(1)), Clock.At(1));
        Assert.Equal(NextLook.Polling, look);
    }
}
