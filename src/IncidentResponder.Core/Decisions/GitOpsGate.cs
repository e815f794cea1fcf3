using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.GitOps;
using IncidentResponder.Core.Incidents;

namespace IncidentResponder.Core.Decisions;

/// <summary>
/// Before a change to a workload that a GitOps tool applies from git: record the owner, and, as the policy says, pause
/// exactly that owner first (the pause is decided in the same status write as the step's intent), act without pausing,
/// or hand the incident to people with what to change in git. Acting without a pause on a self-healing owner is a
/// change that would be undone within seconds.
/// </summary>
public static class GitOpsGate
{
    /// <summary>Condition reason when the policy hands GitOps-owned workloads to people.</summary>
    public const string HandedBackReason = "GitOpsOwned";

    public static IncidentDecision Apply(IncidentDecision decision, IncidentContext context, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(context);
        if (context.GitOps is not { } gitops)
        {
            return decision;
        }

        var events = new List<IncidentEvent>();
        var record = gitops.Record();
        var warnings = gitops.OwnerObject is { } ownerObject
            ? OwnerPause.For(gitops.Owner, ownerObject, PausedBy(context), gitops.ArgoCdHasEnabledField).Warnings
            : [];
        if (!SameRecord(decision.Status.GitOps?.Owner, record) || warnings.Any(w => decision.Status.GitOps?.Warnings?.Contains(w) != true))
        {
            events.Add(new IncidentEvent.OwnerRecorded(record, warnings));
        }

        var acting = decision.Effects.Where(e => e is Effect.RollBack { DryRun: false } or Effect.RunAction { DryRun: false, Change: not null }).ToList();
        var effects = decision.Effects.ToList();
        var statusEvents = new List<IncidentEvent>(events);
        if (acting.Count > 0)
        {
            switch (context.GitOpsPolicy?.OnOwned ?? GitOpsOwnedAction.Pause)
            {
                case GitOpsOwnedAction.Ignore:
                    statusEvents.Add(new IncidentEvent.GitOpsNoted($"acting without pausing {gitops.Owner}, as the policy's gitops.onOwned: Ignore says: it may undo this change"));
                    break;
                case GitOpsOwnedAction.HandBack:
                    effects.RemoveAll(acting.Contains);
                    statusEvents.AddRange(acting.Select(a => new IncidentEvent.ActionSkipped(a.Step, a.Attempt, $"not acting: {gitops.Owner} applies this workload from git and the policy hands such workloads to people")));
                    var (escalation, notices, _) = IncidentDecider.Escalate(HandedBackReason, HandBackGuidance(gitops, context), context);
                    statusEvents.AddRange(escalation);
                    effects.AddRange(notices);
                    break;
                default:
                    Pause(gitops, decision.Status, context, acting[0], statusEvents, effects);
                    break;
            }
        }

        if (statusEvents.Count == 0 && effects.SequenceEqual(decision.Effects))
        {
            return decision;
        }

        var status = IncidentStateMachine.ApplyAll(decision.Status, statusEvents, now);
        return new IncidentDecision(status, new(decision.Events.Concat(statusEvents).ToList()), new(effects), decision.Reason);
    }

    /// <summary>The value of the owner's paused-by annotation for this incident.</summary>
    public static string PausedBy(IncidentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return OwnerPause.PausedByValue(context.IncidentNamespace, context.IncidentName);
    }

    private static void Pause(GitOpsObservation gitops, IncidentStatus status, IncidentContext context, Effect first, List<IncidentEvent> events, List<Effect> effects)
    {
        var recorded = status.GitOps?.Pause;
        if (recorded is { Phase: GitOpsPausePhase.Paused or GitOpsPausePhase.NotNeeded })
        {
            return; // in force, or nothing to pause: act
        }

        if (recorded is { Phase: GitOpsPausePhase.Pausing, PausePatch: { } intended })
        {
            // Decided before (maybe sent before a restart): the shell sends it only if the owner lacks our mark.
            effects.Insert(effects.IndexOf(first), new Effect.PauseOwner(first.Step, first.Attempt, gitops.Owner, intended, PausedBy(context)));
            return;
        }

        if (gitops.OwnerObject is not { } ownerObject)
        {
            // Acting while the owner cannot be paused would be undone: the step waits for the owner to be readable.
            effects.RemoveAll(e => e is Effect.RollBack or Effect.RunAction);
            events.Add(new IncidentEvent.ActionSkipped(first.Step, first.Attempt,
                $"not acting: {gitops.Owner} applies this workload and could not be read to pause it ({gitops.ReadError ?? "not found"}); acting now would be undone"));
            return;
        }

        var pause = OwnerPause.For(gitops.Owner, ownerObject, PausedBy(context), gitops.ArgoCdHasEnabledField);
        if (pause.PausePatch is null)
        {
            events.Add(new IncidentEvent.OwnerPauseDecided(new GitOpsPauseRecord { Phase = GitOpsPausePhase.NotNeeded, Summary = pause.Summary }));
            return;
        }

        events.Add(new IncidentEvent.OwnerPauseDecided(new GitOpsPauseRecord
        {
            Phase = GitOpsPausePhase.Pausing, Summary = pause.Summary, PausePatch = pause.PausePatch, ResumePatch = pause.ResumePatch,
        }));
        effects.Insert(effects.IndexOf(first), new Effect.PauseOwner(first.Step, first.Attempt, gitops.Owner, pause.PausePatch, PausedBy(context)));
    }

    private static string HandBackGuidance(GitOpsObservation gitops, IncidentContext context)
    {
        var where = gitops.Source is { } source ? $" in {source.Url} (path {source.Path}, branch {source.TargetRevision})" : string.Empty;
        var good = context.Status.Change?.GoodRevision is { } revision ? $"revision {revision}" : "the last good version";
        return $"{gitops.Owner} applies {context.Observed.Deployment.Name} from git and the policy's gitops.onOwned is HandBack: revert the bad change{where} to {good} and let it sync";
    }

    private static bool SameRecord(GitOpsOwnerRecord? a, GitOpsOwnerRecord b) =>
        a is not null && a.Tool == b.Tool && a.Kind == b.Kind && a.Namespace == b.Namespace && a.Name == b.Name && a.Evidence == b.Evidence
        && a.SourceUrl == b.SourceUrl && a.Path == b.Path && a.TargetRevision == b.TargetRevision && a.Revision == b.Revision;
}
