using System.Globalization;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Guardrails;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Planning;

namespace IncidentResponder.Core.Decisions;

/// <summary>
/// One reconcile of one incident, start to end, as a pure function: recover or verify the action in flight, resolve a
/// mitigated incident whose target is healthy, or plan the next runbook step and pass it through the guardrails.
/// Level-triggered: deciding again on the same context gives the same status, so a repeated reconcile is harmless.
/// </summary>
public static class IncidentDecider
{
    /// <summary>Condition reason when a runbook's Escalate step hands the incident over.</summary>
    public const string EscalatedByStepReason = "EscalationStep";

    /// <summary>Condition reason when the failure came back after a verified mitigation.</summary>
    public const string RelapsedReason = "Relapsed";

    public static IncidentDecision Decide(IncidentContext context, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(context);
        var status = context.Status;
        if (status.Phase is null || status.Phase.IsHeldByPeople())
        {
            return IncidentDecision.Nothing(status, $"phase {status.Phase?.ToString() ?? "unset"}: nothing to do");
        }

        // Closed: only the reverts its steps asked for (scale back, flip back) remain.
        var decision = status.Phase.IsClosed() ? RevertDecider.Decide(context, now) : DecideOpen(context, now);
        return IntentFirst.Enforce(GitOpsGate.Apply(decision, context, now), context, now);
    }

    private static IncidentDecision DecideOpen(IncidentContext context, DateTimeOffset now)
    {
        // The severity follows the target first: a full outage is SEV-1 whatever the runbook does next.
        var regrade = SeverityAssessment.FromObserved(context.Status.Severity ?? Severity.Sev3, context.Observed.Deployment, context.PersonsSeverity);
        var status = regrade is null ? context.Status : IncidentStateMachine.Apply(context.Status, new IncidentEvent.SeverityChanged(regrade), now);
        context = context with { Status = status };
        var inFlight = ActionRecords.InFlight(status);
        var (events, effects, reason) = inFlight switch
        {
            { Phase: ActionPhase.Pending } => With(StepActions.Recover(context, inFlight), $"recovering intent of step {inFlight.Step}"),
            { Phase: ActionPhase.Running } => Verify(context, inFlight, now),
            _ when status.Phase == IncidentPhase.Mitigated => ResolveIfHealthy(context),
            _ => Plan(context, now),
        };
        if (regrade is not null)
        {
            events.Insert(0, new IncidentEvent.SeverityChanged(regrade));
        }

        return new IncidentDecision(IncidentStateMachine.ApplyAll(context.Status, events, now), new(events), new(effects), reason);
    }

    private static (List<IncidentEvent>, List<Effect>, string) Verify(IncidentContext context, ActionRecord running, DateTimeOffset now)
    {
        var step = context.Runbook.Steps.Find(s => s.Name == running.Step);
        var snapshot = VerificationSnapshotBuilder.Build(context.Observed, context.Detection, context.Status, context.Probes);
        var startedAt = new DateTimeOffset(DateTime.SpecifyKind(running.StartedAt ?? now.UtcDateTime, DateTimeKind.Utc));
        // An unreadable value (a hand-edited status) only restarts the window; it never fails the step.
        var healthySince = running.Details?.TryGetValue(ActionRecords.HealthySinceKey, out var text) == true
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed
                : (DateTimeOffset?)null;
        var result = VerificationEvaluator.Evaluate(step?.Verify, snapshot, startedAt, healthySince, now);
        var attempt = running.Attempt ?? 1;
        IncidentEvent? e = result.Outcome switch
        {
            VerificationOutcome.Passed => new IncidentEvent.VerificationPassed(running.Step, attempt, result.Reason),
            VerificationOutcome.Failed => new IncidentEvent.VerificationFailed(running.Step, attempt, result.Reason + StuckPodNote.For(context, running)),
            _ when result.HealthySince != healthySince => new IncidentEvent.VerificationProgress(running.Step, attempt, result.HealthySince),
            _ => null,
        };
        return (e is null ? [] : [e], [], $"verifying step {running.Step}: {result.Reason}");
    }

    private static (List<IncidentEvent>, List<Effect>, string) ResolveIfHealthy(IncidentContext context)
    {
        // A confirmed signal on the revision that was verified healthy means the mitigation did not hold. Repeating
        // it would start a remediation loop, so people take over.
        var current = context.Observed.Deployment.CurrentRevision;
        var relapse = context.Detection.Confirmed.FirstOrDefault(s => s.Key.Revision == current || s.Key.Type == SignalType.RolloutStuck);
        if (relapse is not null)
        {
            return Escalate(RelapsedReason, $"{relapse.Key.Type} returned after mitigation: {relapse.Message}", context);
        }

        var snapshot = VerificationSnapshotBuilder.Build(context.Observed, context.Detection, context.Status, context.Probes);
        if (!snapshot.Available || snapshot.SignalPresent)
        {
            return ([], [], "mitigated; waiting for the target to be Available with no signal");
        }

        // The story ends with every signal marked cleared, then the resolution.
        var events = (context.Status.Signals ?? []).Where(s => s.Cleared != true)
            .Select(s => (IncidentEvent)new IncidentEvent.SignalCleared(s.Fingerprint)).ToList();
        events.Add(new IncidentEvent.Resolved($"{context.Observed.Deployment.Name} is Available and shows no failure signal"));
        return (events, [], "resolved");
    }

    private static (List<IncidentEvent>, List<Effect>, string) Plan(IncidentContext context, DateTimeOffset now)
    {
        var status = context.Status;
        var severity = status.Severity ?? Severity.Sev3;
        var signals = (status.Signals ?? []).Where(s => s.Cleared != true).Select(s => s.Type).Distinct().ToList();
        var plan = StepPlanner.Next(context.Runbook, ActionRecords.CurrentEpisode(status), new PlanningContext(signals, context.Detection.RecentRollout, severity),
            status.Actions ?? []);
        switch (plan)
        {
            case PlanDecision.Escalate escalate:
                return Escalate(Conditions.Reasons.StepsExhausted, escalate.Reason, context);
            case not PlanDecision.RunStep:
                return ([], [], plan.Reason);
        }

        var run = (PlanDecision.RunStep)plan;
        var step = run.Step;
        var deployment = context.Observed.Deployment;
        var guard = GuardrailEvaluator.Decide(new GuardrailInput(context.Policy, context.IncidentName, context.IncidentNamespace, severity,
            step.Name, step.Action.Type, deployment, context.Approvals, context.NamespaceActions, context.ActingIncidents, now));
        return guard.Verdict switch
        {
            GuardrailVerdict.Escalate => Escalate(Conditions.Reasons.CircuitBreakerOpen, guard.Reason, context),
            GuardrailVerdict.Refuse => ([new IncidentEvent.GuardrailRefused(step.Name, guard.Rule, guard.Reason)], [], guard.Reason),
            GuardrailVerdict.AwaitApproval => ([new IncidentEvent.ApprovalRequested(step.Name, step.Action.Type, run.Attempt, guard.Reason)], [], guard.Reason),
            GuardrailVerdict.DryRun when guard.Rule == MaintenanceWindowRule.Rule => MaintenanceHold.Hold(context, step, run.Attempt, guard.Reason, now),
            GuardrailVerdict.DryRun => With(StepActions.DryRun(context, step, run.Attempt, guard.Reason, now), guard.Reason),
            _ => RunAllowed(context, step, run, now),
        };
    }

    private static (List<IncidentEvent>, List<Effect>, string) RunAllowed(IncidentContext context, RunbookStep step, PlanDecision.RunStep run, DateTimeOffset now) =>
        step.Action.Type switch
        {
            ActionType.Note => ([new IncidentEvent.NoteRecorded(step.Name, run.Attempt, step.Action.Note ?? step.Description ?? step.Name)], [], run.Reason),
            ActionType.Escalate => Escalate(EscalatedByStepReason,
                $"step {step.Name}: {step.Action.Note ?? context.Runbook.Escalation?.Guidance ?? "the runbook hands this incident to people"}", context),
            _ => With(StepActions.Act(context, step, run.Attempt, run.Reason, now), run.Reason),
        };

    internal static (List<IncidentEvent>, List<Effect>, string) Escalate(string conditionReason, string reason, IncidentContext context)
    {
        var contacts = context.Runbook.Escalation?.Contacts is { Count: > 0 } list ? $" (contacts: {string.Join(", ", list)})" : string.Empty;
        return ([new IncidentEvent.Escalated(conditionReason, reason + contacts)], [new Effect.Notify("escalation", 0, reason + contacts)], reason);
    }

    private static (List<IncidentEvent>, List<Effect>, string) With((List<IncidentEvent> Events, List<Effect> Effects) result, string reason) =>
        (result.Events, result.Effects, reason);
}
