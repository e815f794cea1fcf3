using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using IncidentResponder.Core.Guardrails;
using IncidentResponder.Core.Incidents;

namespace IncidentResponder.Core.Decisions;

/// <summary>
/// A resolved incident's last duties: scale back and flip flags back, with the same intent-first protocol as any
/// action (the revert is its own action record, written before the effect). Only the switches people control apply
/// (namespace, paused policy, opt-out annotation): the revert undoes this incident's own change, whose mode, budget
/// and cooldown were judged when it was made.
/// </summary>
internal static class RevertDecider
{
    public static IncidentDecision Decide(IncidentContext context, DateTimeOffset now)
    {
        var status = context.Status;
        var (events, effects, reason) = ActionRecords.InFlight(status) switch
        {
            { Phase: ActionPhase.Pending } pending => Recover(context, pending),
            { Phase: ActionPhase.Running } running => ([new IncidentEvent.VerificationPassed(running.Step, running.Attempt ?? 1,
                "reverted; the incident reopens if the failure returns")], [], $"step {running.Step} reverted"),
            _ => Plan(context, now),
        };
        return events.Count == 0 && effects.Count == 0
            ? IncidentDecision.Nothing(status, reason)
            : new IncidentDecision(IncidentStateMachine.ApplyAll(status, events, now), new(events), new(effects), reason);
    }

    private static (List<IncidentEvent>, List<Effect>, string) Plan(IncidentContext context, DateTimeOffset now)
    {
        var plan = RevertPlanner.Next(context.Status, context.Runbook, context.Observed.Deployment, context.Actions, context.Policy.ActionCaps, now);
        switch (plan)
        {
            case RevertPlan.Apply apply:
                var input = new GuardrailInput(context.Policy, context.IncidentName, context.IncidentNamespace, context.Status.Severity ?? Severity.Sev3,
                    apply.Step, apply.Source.Type, context.Observed.Deployment, context.Approvals, context.NamespaceActions, context.ActingIncidents, now);
                if ((ScopeRules.OutsideNamespace(input) ?? ScopeRules.PolicyPaused(input) ?? ScopeRules.OptedOut(input)) is { } refused)
                {
                    return ([new IncidentEvent.GuardrailRefused(apply.Step, refused.Rule, refused.Reason)], [], refused.Reason);
                }

                var attempt = apply.Source.Attempt ?? 1;
                var intent = new IncidentEvent.IntentRecorded(apply.Step, apply.Source.Type, attempt, apply.Reason, Details(apply.Change, apply.Source));

                // A flip-back nobody can read back is sent only from a Pending record marked dispatched (next decision).
                return UnreadableDispatch.Needs(apply.Change)
                    ? ([intent], [], apply.Reason)
                    : ([intent], [new Effect.Revert(apply.Step, attempt, apply.Change, ActionSteps.Annotation(context, apply.Step, attempt))], apply.Reason);
            case RevertPlan.Skip skip:
                var skipAttempt = skip.Source.Attempt ?? 1;
                return ([new IncidentEvent.IntentRecorded(skip.Step, skip.Source.Type, skipAttempt, skip.Reason, RevertOf(skip.Source)),
                    new IncidentEvent.ActionSkipped(skip.Step, skipAttempt, $"skipped: {skip.Reason}")], [], skip.Reason);
            default:
                return ([], [], plan.Reason);
        }
    }

    private static (List<IncidentEvent>, List<Effect>, string) Recover(IncidentContext context, ActionRecord pending)
    {
        var attempt = pending.Attempt ?? 1;
        var source = pending.Details?.GetValueOrDefault(RevertPlanner.RevertOfKey);
        var step = context.Runbook.Steps.Find(s => s.Name == source);
        if (ActionChangeCodec.Read(pending.Details, step?.Action) is not { } change)
        {
            return ([new IncidentEvent.ActionSkipped(pending.Step, attempt, "skipped: the revert intent records no change to apply")], [], "revert intent unreadable");
        }

        var effect = new Effect.Revert(pending.Step, attempt, change, ActionSteps.Annotation(context, pending.Step, attempt));
        if (UnreadableDispatch.Needs(change))
        {
            var (events, effects) = UnreadableDispatch.Recover(pending, change, effect);
            return (events, effects, $"revert {pending.Step}: {(effects.Count == 0 ? "answer lost in a restart; not sent again" : "dispatching")}");
        }

        return ChangeObservation.IsApplied(change, context.Observed.Deployment, context.Actions)
            ? ([new IncidentEvent.ActionApplied(pending.Step, attempt, $"found applied after a restart: {change.Describe()}")], [], "revert found applied")
            : ([], [effect], $"applying revert {pending.Step} once");
    }

    private static Dictionary<string, string> Details(ActionChange change, ActionRecord source)
    {
        var details = change.ToDetails();
        details[RevertPlanner.RevertOfKey] = source.Step;
        return details;
    }

    private static Dictionary<string, string> RevertOf(ActionRecord source) => new(StringComparer.Ordinal) { [RevertPlanner.RevertOfKey] = source.Step };
}
