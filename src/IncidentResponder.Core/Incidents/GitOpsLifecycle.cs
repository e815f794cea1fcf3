using IncidentResponder.Api.V1Alpha1;
using static IncidentResponder.Core.Incidents.IncidentEvent;

namespace IncidentResponder.Core.Incidents;

/// <summary>
/// The GitOps record of an incident: pause Pausing → Paused → Resuming → Resumed (or NotNeeded); write-back
/// Pending → Pushed | Failed, and Failed → Pending for another attempt. Like the action records, each transition fires
/// only from the phase before it, so every event is idempotent.
/// </summary>
internal static class GitOpsLifecycle
{
    public static void Apply(IncidentStatus status, GitOpsEvent @event, DateTimeOffset now)
    {
        var gitops = status.GitOps ??= new IncidentGitOpsStatus();
        switch (@event)
        {
            case OwnerRecorded recorded: RecordOwner(status, gitops, recorded, now); break;
            case OwnerPauseDecided decided: DecidePause(status, gitops, decided.Pause, now); break;
            case OwnerPaused paused when gitops.Pause is { Phase: GitOpsPausePhase.Pausing } pause:
                pause.Phase = GitOpsPausePhase.Paused;
                pause.PausedAt = now.UtcDateTime;
                SetPausedCondition(status, true, "Paused", paused.Message, now);
                Record(status, now, TimelineEntryType.Action, paused.Message);
                break;
            case OwnerPauseHeld held when gitops.Pause is { Phase: GitOpsPausePhase.Paused } pause && pause.Message != ActionRecords.Truncate(held.Message):
                pause.Message = ActionRecords.Truncate(held.Message);
                SetPausedCondition(status, true, "Paused", $"{Owner(gitops)} {held.Message}", now);
                break;
            case OwnerResumeDecided resume when gitops.Pause is { Phase: GitOpsPausePhase.Paused } pause:
                pause.Phase = GitOpsPausePhase.Resuming;
                pause.Message = ActionRecords.Truncate(resume.Reason);
                Record(status, now, TimelineEntryType.Decision, $"resume {Owner(gitops)}: {resume.Reason}");
                break;
            case OwnerResumed resumed when gitops.Pause is { Phase: GitOpsPausePhase.Resuming } pause:
                pause.Phase = GitOpsPausePhase.Resumed;
                pause.ResumedAt = now.UtcDateTime;
                SetPausedCondition(status, false, "Resumed", resumed.Message, now);
                Record(status, now, TimelineEntryType.Action, resumed.Message);
                break;
            case WriteBackDecided decided when gitops.WriteBack is null or { Phase: GitOpsWriteBackPhase.Failed }:
                gitops.WriteBack = new GitOpsWriteBackRecord
                {
                    Phase = GitOpsWriteBackPhase.Pending,
                    Mode = decided.Mode,
                    Changes = [.. decided.Changes],
                    Attempts = (gitops.WriteBack?.Attempts ?? 0) + 1,
                    LastAttemptAt = now.UtcDateTime,
                };
                Record(status, now, TimelineEntryType.Decision, $"write the mitigation back to git ({decided.Mode}): {string.Join("; ", decided.Changes)}");
                break;
            case WriteBackPushed pushed when gitops.WriteBack is { Phase: GitOpsWriteBackPhase.Pending } writeBack:
                writeBack.Phase = GitOpsWriteBackPhase.Pushed;
                writeBack.Branch = pushed.Branch;
                writeBack.Commit = pushed.Commit;
                writeBack.PullRequestUrl = pushed.PullRequestUrl;
                writeBack.Message = ActionRecords.Truncate(pushed.Message);
                Record(status, now, TimelineEntryType.Action, pushed.Message);
                break;
            case WriteBackFailed failed when gitops.WriteBack is { Phase: GitOpsWriteBackPhase.Pending } writeBack:
                writeBack.Phase = GitOpsWriteBackPhase.Failed;
                writeBack.Message = ActionRecords.Truncate(failed.Message);
                Record(status, now, TimelineEntryType.Action, $"write-back failed: {failed.Message}");
                break;
            case GitOpsNoted noted when !LastEntrySays(status, noted.Message):
                Record(status, now, TimelineEntryType.Note, noted.Message);
                break;
            default:
                break; // already applied, or out of order: a repeated event changes nothing
        }
    }

    private static void RecordOwner(IncidentStatus status, IncidentGitOpsStatus gitops, OwnerRecorded recorded, DateTimeOffset now)
    {
        var known = gitops.Owner;
        var sameOwner = known is not null && known.Kind == recorded.Owner.Kind && known.Namespace == recorded.Owner.Namespace && known.Name == recorded.Owner.Name;
        gitops.Owner = recorded.Owner;
        var newWarnings = recorded.Warnings.Where(w => gitops.Warnings?.Contains(w) != true).ToList();
        if (newWarnings.Count > 0)
        {
            gitops.Warnings = [.. (gitops.Warnings ?? []).Concat(newWarnings).TakeLast(10)];
        }

        if (!sameOwner)
        {
            var source = recorded.Owner.SourceUrl is { } url ? $" from {url} path {recorded.Owner.Path ?? "."} at {recorded.Owner.TargetRevision ?? "HEAD"}" : string.Empty;
            Record(status, now, TimelineEntryType.Evidence, $"the target is applied by {recorded.Owner.Tool} {recorded.Owner.Kind} {recorded.Owner.Namespace}/{recorded.Owner.Name}{source} ({recorded.Owner.Evidence})");
        }

        foreach (var warning in newWarnings)
        {
            Record(status, now, TimelineEntryType.Guardrail, $"warning: {warning}");
        }
    }

    private static void DecidePause(IncidentStatus status, IncidentGitOpsStatus gitops, GitOpsPauseRecord pause, DateTimeOffset now)
    {
        // A new pause only where none holds: a pause in flight or in force is never decided twice.
        if (gitops.Pause is { Phase: GitOpsPausePhase.Pausing or GitOpsPausePhase.Paused or GitOpsPausePhase.Resuming })
        {
            return;
        }

        gitops.Pause = pause;
        Record(status, now, TimelineEntryType.Decision, pause.Summary ?? $"pause {Owner(gitops)}");
    }

    private static void SetPausedCondition(IncidentStatus status, bool paused, string reason, string message, DateTimeOffset now) =>
        status.Conditions = StatusConditions.Set(status.Conditions, Conditions.GitOpsPaused, paused, reason, ActionRecords.Truncate(message), now);

    private static bool LastEntrySays(IncidentStatus status, string message) =>
        status.Timeline is { Count: > 0 } timeline && timeline[^1].Message == ActionRecords.Truncate(message);

    private static string Owner(IncidentGitOpsStatus gitops) =>
        gitops.Owner is { } owner ? $"{owner.Tool} {owner.Kind} {owner.Namespace}/{owner.Name}" : "the GitOps owner";

    private static void Record(IncidentStatus status, DateTimeOffset now, TimelineEntryType type, string message) =>
        IncidentStateMachine.Record(status, now, type, message);
}
