using System.Globalization;
using IncidentResponder.Api.V1Alpha1;
using static IncidentResponder.Core.Incidents.IncidentEvent;

namespace IncidentResponder.Core.Incidents;

/// <summary>
/// One action record's life: Pending (intent, written before acting) → Running (applied, verifying) →
/// Succeeded | Failed; or Skipped, DryRun, AwaitingApproval without ever touching the cluster.
/// Each transition only fires from the phase before it, which makes every event idempotent.
/// </summary>
internal static class ActionLifecycle
{
    public static void Apply(IncidentStatus status, IncidentEvent @event, DateTimeOffset now)
    {
        switch (@event)
        {
            case IntentRecorded intent: RecordIntent(status, intent, now); break;
            case ActionDispatched dispatched: Dispatched(status, dispatched, now); break;
            case ActionApplied applied: Applied(status, applied, now); break;
            case ActionSkipped skipped: Finish(status, skipped.Step, skipped.Attempt, ActionPhase.Skipped, skipped.Message, now, [ActionPhase.Pending, ActionPhase.Running]); break;
            case VerificationPassed passed: Passed(status, passed, now); break;
            case VerificationFailed failed: Finish(status, failed.Step, failed.Attempt, ActionPhase.Failed, failed.Message, now, [ActionPhase.Running]); break;
            case VerificationProgress progress: Progress(status, progress); break;
            case DryRunRecorded dryRun: DryRun(status, dryRun, now); break;
            case ApprovalRequested approval: AwaitApproval(status, approval, now); break;
            case GuardrailRefused refused: Refused(status, refused, now); break;
            case NoteRecorded note: Note(status, note, now); break;
            default: throw new ArgumentOutOfRangeException(nameof(@event), @event, "unknown incident event");
        }
    }

    private static void RecordIntent(IncidentStatus status, IntentRecorded intent, DateTimeOffset now)
    {
        var existing = ActionRecords.Find(status, intent.Step, intent.Attempt);
        if (existing is { Phase: not ActionPhase.AwaitingApproval })
        {
            return; // intent already written (maybe further along): never write it twice
        }

        if (existing is not null)
        {
            // The approval arrived: the waiting record becomes the intent.
            existing.Phase = ActionPhase.Pending;
            existing.StartedAt = now.UtcDateTime;
            existing.Message = ActionRecords.Truncate(intent.Reason);
            ActionRecords.Merge(existing, intent.Details);
        }
        else
        {
            (status.Actions ??= []).Add(ActionRecords.New(intent.Step, intent.Type, intent.Attempt, ActionPhase.Pending, intent.Reason, now, intent.Details));
        }

        IncidentStateMachine.Record(status, now, TimelineEntryType.Decision, $"step {intent.Step} ({intent.Type}, attempt {intent.Attempt}): {intent.Reason}");
        IncidentStateMachine.EnterPhase(status, IncidentPhase.Mitigating, $"running step {intent.Step}", now);
    }

    private static void Dispatched(IncidentStatus status, ActionDispatched dispatched, DateTimeOffset now)
    {
        var action = ActionRecords.Find(status, dispatched.Step, dispatched.Attempt);
        if (action is not { Phase: ActionPhase.Pending } || action.Details?.ContainsKey(ActionRecords.DispatchedAtKey) == true)
        {
            return; // the first dispatch time is the one that counts: it is what says "maybe sent"
        }

        ActionRecords.Merge(action, new Dictionary<string, string>
        {
            [ActionRecords.DispatchedAtKey] = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", CultureInfo.InvariantCulture),
        });
        IncidentStateMachine.Record(status, now, TimelineEntryType.Action, $"step {dispatched.Step}: {dispatched.Message}");
    }

    private static void Applied(IncidentStatus status, ActionApplied applied, DateTimeOffset now)
    {
        var action = ActionRecords.Find(status, applied.Step, applied.Attempt);
        if (action is not { Phase: ActionPhase.Pending })
        {
            return;
        }

        action.Phase = ActionPhase.Running;
        action.Message = ActionRecords.Truncate(applied.Message);
        ActionRecords.Merge(action, applied.Details);
        IncidentStateMachine.Record(status, now, TimelineEntryType.Action, $"step {applied.Step}: {applied.Message}");
    }

    private static void Passed(IncidentStatus status, VerificationPassed passed, DateTimeOffset now)
    {
        if (!Finish(status, passed.Step, passed.Attempt, ActionPhase.Succeeded, passed.Message, now, [ActionPhase.Running]))
        {
            return;
        }

        IncidentStateMachine.EnterPhase(status, IncidentPhase.Mitigated, $"step {passed.Step} verified: {passed.Message}", now);
    }

    private static bool Finish(IncidentStatus status, string step, int attempt, ActionPhase phase, string message, DateTimeOffset now, ActionPhase[] from)
    {
        var action = ActionRecords.Find(status, step, attempt);
        if (action is null || !from.Contains(action.Phase))
        {
            return false;
        }

        action.Phase = phase;
        action.FinishedAt = now.UtcDateTime;
        action.Message = ActionRecords.Truncate(message);
        action.Details?.Remove(ActionRecords.HealthySinceKey);
        var type = phase is ActionPhase.Succeeded or ActionPhase.Failed ? TimelineEntryType.Verification : TimelineEntryType.Action;
        IncidentStateMachine.Record(status, now, type, $"step {step} {phase.ToString().ToLowerInvariant()}: {message}");
        return true;
    }

    private static void Progress(IncidentStatus status, VerificationProgress progress)
    {
        var action = ActionRecords.Find(status, progress.Step, progress.Attempt);
        if (action is not { Phase: ActionPhase.Running })
        {
            return;
        }

        if (progress.HealthySince is { } since)
        {
            ActionRecords.Merge(action, new Dictionary<string, string>
            {
                [ActionRecords.HealthySinceKey] = since.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", CultureInfo.InvariantCulture),
            });
        }
        else
        {
            action.Details?.Remove(ActionRecords.HealthySinceKey);
        }
    }

    private static void DryRun(IncidentStatus status, DryRunRecorded dryRun, DateTimeOffset now)
    {
        if (ActionRecords.Find(status, dryRun.Step, dryRun.Attempt) is { } existing)
        {
            // The shell's server-side dry run reports its result into the record the core wrote.
            if (existing.Phase == ActionPhase.DryRun)
            {
                ActionRecords.Merge(existing, dryRun.Details);
            }

            return;
        }

        (status.Actions ??= []).Add(ActionRecords.New(dryRun.Step, dryRun.Type, dryRun.Attempt, ActionPhase.DryRun, dryRun.Message, now, dryRun.Details));
        IncidentStateMachine.Record(status, now, TimelineEntryType.Action, $"step {dryRun.Step} dry run: {dryRun.Message}");
    }

    private static void AwaitApproval(IncidentStatus status, ApprovalRequested approval, DateTimeOffset now)
    {
        if (ActionRecords.Find(status, approval.Step, approval.Attempt) is null)
        {
            (status.Actions ??= []).Add(ActionRecords.New(approval.Step, approval.Type, approval.Attempt, ActionPhase.AwaitingApproval, approval.Reason, now));
            IncidentStateMachine.Record(status, now, TimelineEntryType.Guardrail, $"step {approval.Step}: {approval.Reason}");
        }

        IncidentStateMachine.EnterPhase(status, IncidentPhase.AwaitingApproval, $"step {approval.Step} awaits approval", now);
    }

    private static void Refused(IncidentStatus status, GuardrailRefused refused, DateTimeOffset now)
    {
        // One entry per refusal streak: the same rule refusing the same step on every reconcile is one fact, not many.
        var prefix = $"step {refused.Step} [{refused.Rule}]";
        var lastGuardrail = status.Timeline?.FindLast(e => e.Type == TimelineEntryType.Guardrail);
        if (lastGuardrail is not null && lastGuardrail.Message.StartsWith(prefix, StringComparison.Ordinal))
        {
            return;
        }

        IncidentStateMachine.Record(status, now, TimelineEntryType.Guardrail, $"{prefix} {refused.Reason}");
        status.Conditions = StatusConditions.Set(status.Conditions, Conditions.Acting, false, Conditions.Reasons.GuardrailBlocked, refused.Reason, now);
    }

    private static void Note(IncidentStatus status, NoteRecorded note, DateTimeOffset now)
    {
        if (ActionRecords.Find(status, note.Step, note.Attempt) is not null)
        {
            return;
        }

        (status.Actions ??= []).Add(ActionRecords.New(note.Step, ActionType.Note, note.Attempt, ActionPhase.Succeeded, note.Text, now));
        IncidentStateMachine.Record(status, now, TimelineEntryType.Note, note.Text);
    }
}
