using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;

namespace IncidentResponder.Core.Decisions;

/// <summary>
/// The protocol's invariant, checked on every decision: a change goes out only if the decided status records its
/// intent, a Pending record with the effect's (step, attempt). An intent event that changes nothing, because a record
/// with that identity already exists further along, would otherwise let the change out unrecorded; the next reconcile
/// would then find nothing in flight and act again. Breaking the invariant is a defect, so nothing is changed and
/// people are told.
/// </summary>
public static class IntentFirst
{
    /// <summary>Condition reason of the escalation when an effect had no recorded intent.</summary>
    public const string NotRecordedReason = "IntentNotRecorded";

    public static IncidentDecision Enforce(IncidentDecision decision, IncidentContext context, DateTimeOffset now)
    {
        var unrecorded = decision.Effects.FirstOrDefault(e => Changes(e) && ActionRecords.Find(decision.Status, e.Step, e.Attempt) is not { Phase: ActionPhase.Pending });
        if (unrecorded is null)
        {
            return decision;
        }

        var reason = $"not acting: step {unrecorded.Step} attempt {unrecorded.Attempt} has no recorded intent, so acting could not be recovered after a restart";
        if (context.Status.Phase.IsClosed())
        {
            return IncidentDecision.Nothing(context.Status, reason);
        }

        var (events, effects, _) = IncidentDecider.Escalate(NotRecordedReason, reason, context);
        return new IncidentDecision(IncidentStateMachine.ApplyAll(context.Status, events, now), new(events), new(effects), reason);
    }

    /// <summary>Effects that change the cluster; dry runs and notices do not.</summary>
    private static bool Changes(Effect effect) => effect is Effect.RollBack { DryRun: false } or Effect.RunAction { DryRun: false } or Effect.Revert or Effect.PauseOwner;
}
