using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Decisions;
using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Guardrails;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Revisions;
using IncidentResponder.Core.Tests.Fixtures;
using static IncidentResponder.Core.Tests.Fixtures.Cluster;

namespace IncidentResponder.Core.Tests.Decisions;

/// <summary>
/// A resolved incident reopens for a second bad rollout. Revision 3 failed and was rolled back to revision 2's
/// template, which became revision 4; then revision 5 fails. The rollback step runs again, as its own attempt with its
/// own intent, once, and never to a revision an incident blamed.
/// </summary>
public sealed class ReopenDecisionTests
{
    private static readonly DateTimeOffset ReopenedAt = Clock.At(700); // past the 10m cooldown after the first rollback at +1s
    private static readonly DateTimeOffset Now = ReopenedAt.AddSeconds(1);

    private static readonly ReplicaSetObservation FirstBad = ReplicaSet(3, Clock.At(-60), replicas: 0, ready: 0);
    private static readonly ReplicaSetObservation Good = ReplicaSet(4, Clock.T0.AddDays(-3), replicas: 2, ready: 2, template: Template(2));
    private static readonly ReplicaSetObservation SecondBad = ReplicaSet(5, ReopenedAt.AddSeconds(-30), replicas: 2, ready: 0);

    private static RunbookSpec Runbook() => new()
    {
        Title = "Bad rollout",
        Signals = [SignalType.CrashLoop],
        Steps =
        [
            Runbooks.Step("rollback", ActionType.RolloutUndo, new StepCondition { RecentRollout = true }),
            Runbooks.Step("rollback-again", ActionType.RolloutUndo, new StepCondition { RecentRollout = true }),
        ],
    };

    /// <summary>The first episode (rollback #1 from 3 to 2, verified, resolved), then the reopen for revision 5.</summary>
    private static IncidentStatus Reopened() =>
        IncidentStateMachine.Apply(IncidentStory.Through(5), new IncidentEvent.Reopened(
            new ObservedSignal("deployment/web/CrashLoop/r5", SignalType.CrashLoop, "CrashLoopBackOff", "2/4 pods of revision 5 crash", ReopenedAt), "resolved 10m0s ago"),
            ReopenedAt);

    /// <summary>What the shell knows: revision 4 served for ten minutes; the records blame 3 and, once triaged, 5.</summary>
    private static RevisionHistory History(IncidentStatus status, bool triaged = true)
    {
        var history = new RevisionHistory(ValueList.Of(
            new RevisionRecord(3, Clock.At(-60), null, TimeSpan.Zero),
            new RevisionRecord(4, Clock.At(2), null, TimeSpan.FromMinutes(10)),
            new RevisionRecord(5, ReopenedAt.AddSeconds(-30), null, TimeSpan.Zero)));
        var blamed = BlamedRevisions.Of(status).Concat(triaged ? [5L] : []);
        return blamed.Aggregate(history, (h, revision) => h.MarkBad(revision, Now));
    }

    /// <summary>Revision 5 rolling out and crash-looping; the Deployment still carries the first rollback's marker.</summary>
    private static IncidentContext Failing(IncidentStatus status, bool triaged = true)
    {
        var deployment = RollingOut(5) with { Annotations = new Dictionary<string, string> { [WellKnown.ActionAnnotation] = "inc-1/rollback" } };
        var observed = new DetectionInput(deployment, [FirstBad, Good, SecondBad],
            [HealthyPod("good-1", 4), HealthyPod("good-2", 4), CrashLooping("bad-1", 5), CrashLooping("bad-2", 5)]);
        return Context(status, observed, triaged);
    }

    /// <summary>After the second rollback: revision 4's ReplicaSet is current again as revision 6, all healthy.</summary>
    private static IncidentContext RolledBack(IncidentStatus status, string marker)
    {
        var deployment = Deployment(revision: 6, annotations: new Dictionary<string, string> { [WellKnown.ActionAnnotation] = marker }) with { Template = Template(2) };
        var observed = new DetectionInput(deployment, [FirstBad, Good with { Revision = 6, Replicas = 4, ReadyReplicas = 4, AvailableReplicas = 4 }, SecondBad with { Replicas = 0 }],
            [.. Enumerable.Range(1, 4).Select(i => HealthyPod($"good-{i}", 4))], CurrentRevisionSince: Now);
        return Context(status, observed, triaged: true);
    }

    private static IncidentContext Context(IncidentStatus status, DetectionInput observed, bool triaged)
    {
        var detection = RolloutFailureDetector.Detect(observed, DetectionThresholds.Default with { HoldFor = TimeSpan.Zero }, HysteresisState.Empty, Now);
        return new IncidentContext("inc-1", Namespace, [], status, Runbook(), Guards.ShopPolicy, observed, detection, History(status, triaged),
            [.. ActionHistory.From("inc-1", Name, status.Actions)], []);
    }

    [Fact]
    public void The_reopened_incident_records_a_second_attempt_before_rolling_back_to_the_last_known_good_revision()
    {
        var decision = IncidentDecider.Decide(Failing(Reopened()), Now);

        Assert.Equal(IncidentPhase.Mitigating, decision.Status.Phase);
        Assert.Equal(2, decision.Status.Actions!.Count);
        Assert.Equal(ActionPhase.Succeeded, decision.Status.Actions[0].Phase); // the first episode's record is untouched
        var intent = decision.Status.Actions[1];
        Assert.Equal(("rollback", 2, ActionPhase.Pending), (intent.Step, intent.Attempt, intent.Phase));
        Assert.Equal(("5", "4", "web-h4"), (intent.Details!["fromRevision"], intent.Details["toRevision"], intent.Details["toReplicaSet"]));
        var effect = Assert.IsType<Effect.RollBack>(Assert.Single(decision.Effects));
        Assert.Equal((2, Good, "inc-1/rollback/2"), (effect.Attempt, effect.To, effect.ActionAnnotation));
    }

    [Fact]
    public void After_the_patch_no_reading_of_the_record_rolls_back_again()
    {
        var intended = IncidentDecider.Decide(Failing(Reopened()), Now).Status;
        var applied = IncidentStateMachine.Apply(intended, new IncidentEvent.ActionApplied("rollback", 2, "rolled back web to revision 4"), Now);

        // The outcome recorded: verify. The outcome not yet recorded (a stale read, or a crash): found applied by its own marker.
        Assert.Empty(IncidentDecider.Decide(RolledBack(applied, "inc-1/rollback/2"), Now.AddSeconds(1)).Effects);
        var recovered = IncidentDecider.Decide(RolledBack(intended, "inc-1/rollback/2"), Now.AddSeconds(1));
        Assert.Empty(recovered.Effects);
        Assert.Equal(ActionPhase.Running, recovered.Status.Actions![1].Phase);
    }

    [Fact]
    public void The_first_attempts_marker_does_not_pass_for_the_second_attempts_patch()
    {
        // Killed after the second intent, before its patch: the Deployment carries only attempt 1's marker.
        var intended = IncidentDecider.Decide(Failing(Reopened()), Now).Status;
        var recovery = IncidentDecider.Decide(Failing(intended), Now.AddSeconds(1));
        Assert.Equal(2, Assert.IsType<Effect.RollBack>(Assert.Single(recovery.Effects)).Attempt);
    }

    [Fact]
    public void The_second_failing_revision_is_blamed_by_the_record_so_no_later_rollback_returns_to_it()
    {
        var intended = IncidentDecider.Decide(Failing(Reopened()), Now).Status;
        Assert.Equal([3L, 5L], BlamedRevisions.Of(intended));

        // The second rollback did not help and the runbook goes on to another RolloutUndo, decided by a restarted
        // operator (no triage memory): revision 5 is now older than the current 6, and the newest one not soaked, which
        // the last-known-good fallback would pick were the record not blaming it.
        var failed = IncidentStateMachine.ApplyAll(intended,
            [new IncidentEvent.ActionApplied("rollback", 2, "rolled back"), new IncidentEvent.VerificationFailed("rollback", 2, "timed out")], Now);
        var noCooldown = Guards.ShopPolicy with { Limits = Guards.ShopPolicy.Limits with { CooldownPerTarget = TimeSpan.Zero } };
        var next = IncidentDecider.Decide(RolledBack(failed, "inc-1/rollback/2") with { History = History(failed, triaged: false), Policy = noCooldown }, Now.AddSeconds(1));

        Assert.Empty(next.Effects);
        var skipped = next.Status.Actions![^1];
        Assert.Equal(("rollback-again", ActionPhase.Skipped), (skipped.Step, skipped.Phase));
        Assert.Contains("every older revision is known bad", skipped.Message, StringComparison.Ordinal);
    }
}
