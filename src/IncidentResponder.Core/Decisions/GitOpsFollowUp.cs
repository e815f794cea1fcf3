using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.GitOps;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Time;

namespace IncidentResponder.Core.Decisions;

/// <summary>Something the shell must do in git or on the GitOps owner after a mitigation.</summary>
public abstract record GitOpsEffect
{
    /// <summary>Commit <paramref name="Changes"/> as the policy's mode says; at most one commit per incident, ever.</summary>
    public sealed record WriteBack(GitWriteBackMode Mode, IReadOnlyList<WriteBackChange> Changes) : GitOpsEffect;

    /// <summary>
    /// Make sure the recorded pause holds: a restart found the step's change applied before the pause's outcome was
    /// recorded. The shell sends the recorded patch only if the owner lacks the incident's mark.
    /// </summary>
    public sealed record Pause(string PausePatch, string PausedBy) : GitOpsEffect;

    /// <summary>Restore exactly what the pause took, with the patch recorded when the pause was decided.</summary>
    public sealed record Resume(string ResumePatch, string PausedBy) : GitOpsEffect;
}

/// <summary>Everything known about the GitOps side of one incident at one reconcile.</summary>
/// <param name="ResumeRequested">A person set the incident's spec.gitops.resume.</param>
/// <param name="SourceHoldsFix">Whether the commit the owner would apply now holds the mitigation's values; null: unknown.</param>
public sealed record GitOpsFollowUpContext(
    string IncidentName,
    string IncidentNamespace,
    string TargetName,
    IncidentStatus Status,
    GitOpsPolicy? Policy,
    bool ResumeRequested,
    GitOpsSource? Source,
    bool? SourceHoldsFix);

/// <param name="LookAgain">
/// When to decide again without an event: at a retry's backoff or resumeAfter, and on the poll while the owner is
/// paused (git and the owner's revision change without an event the operator watches).
/// </param>
public sealed record GitOpsFollowUpDecision(IncidentStatus Status, IReadOnlyList<IncidentEvent> Events, IReadOnlyList<GitOpsEffect> Effects, string Reason, NextLook LookAgain);

/// <summary>
/// After the mitigation is verified: write it back to git once (as the policy's mode says), then resume the owner when
/// the commit it would apply holds the fix, when a person asks, or when the policy's resumeAfter runs out. Every
/// change is decided (recorded) before the shell makes it. Pure.
/// </summary>
public static class GitOpsFollowUp
{
    /// <summary>Write-back attempts before the operator stops trying and leaves it to people.</summary>
    public const int MaxWriteBackAttempts = 6;

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromMinutes(10);

    public static GitOpsFollowUpDecision Decide(GitOpsFollowUpContext context, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(context);
        var gitops = context.Status.GitOps;
        if (gitops?.Owner is null)
        {
            return new(context.Status, [], [], "no GitOps owner", NextLook.Never);
        }

        var events = new List<IncidentEvent>();
        var effects = new List<GitOpsEffect>();
        var changes = MitigationChanges.Verified(context.Status, context.TargetName);
        var lookAgain = WriteBack(context, gitops, changes, now, events, effects);
        var resumeAt = Resume(context, gitops, changes, now, events, effects);
        var status = IncidentStateMachine.ApplyAll(context.Status, events, now);
        var reason = events.Count == 0 && effects.Count == 0 ? "nothing to do" : string.Join("; ", effects.Select(e => e.GetType().Name));
        var after = status.GitOps;
        var poll = effects.Count > 0
            || after?.Pause?.Phase is GitOpsPausePhase.Pausing or GitOpsPausePhase.Paused or GitOpsPausePhase.Resuming
            || after?.WriteBack?.Phase == GitOpsWriteBackPhase.Pending;
        return new(status, events, effects, reason, new NextLook(Earliest(lookAgain, resumeAt), poll));
    }

    private static DateTimeOffset? WriteBack(GitOpsFollowUpContext context, IncidentGitOpsStatus gitops, IReadOnlyList<WriteBackChange> changes, DateTimeOffset now,
        List<IncidentEvent> events, List<GitOpsEffect> effects)
    {
        var mode = context.Policy?.WriteBack?.Mode ?? GitWriteBackMode.None;
        if (mode == GitWriteBackMode.None || changes.Count == 0)
        {
            return null;
        }

        var described = changes.Select(c => c.Describe()).ToList();
        switch (gitops.WriteBack)
        {
            case null:
                events.Add(new IncidentEvent.WriteBackDecided(mode, described));
                effects.Add(new GitOpsEffect.WriteBack(mode, changes));
                return null;
            case { Phase: GitOpsWriteBackPhase.Pending } pending:
                // Decided before a restart: the shell finds the commit if it was pushed, so this never commits twice.
                effects.Add(new GitOpsEffect.WriteBack(pending.Mode, changes));
                return null;
            case { Phase: GitOpsWriteBackPhase.Failed } failed when (failed.Attempts ?? 1) < MaxWriteBackAttempts:
                var due = new DateTimeOffset(DateTime.SpecifyKind(failed.LastAttemptAt ?? now.UtcDateTime, DateTimeKind.Utc)) + Backoff(failed.Attempts ?? 1);
                if (now < due)
                {
                    return due;
                }

                events.Add(new IncidentEvent.WriteBackDecided(mode, described));
                effects.Add(new GitOpsEffect.WriteBack(mode, changes));
                return null;
            default:
                return null; // pushed, or given up after the last attempt (its message says what to do)
        }
    }

    private static DateTimeOffset? Resume(GitOpsFollowUpContext context, IncidentGitOpsStatus gitops, IReadOnlyList<WriteBackChange> changes, DateTimeOffset now,
        List<IncidentEvent> events, List<GitOpsEffect> effects)
    {
        var pause = gitops.Pause;
        if (pause is { Phase: GitOpsPausePhase.Pausing, PausePatch: { } pausing }
            && (context.Status.Actions ?? []).LastOrDefault() is { Phase: ActionPhase.Running or ActionPhase.Succeeded or ActionPhase.Failed })
        {
            // The step it guards was applied (a restart found it so): the incident's own reconcile will not send the
            // pause again. A step that was skipped instead (the pause itself failed) changed nothing, so nothing is paused for it.
            effects.Add(new GitOpsEffect.Pause(pausing, PausedBy(context)));
            return null;
        }

        if (pause is { Phase: GitOpsPausePhase.Resuming, ResumePatch: { } again })
        {
            effects.Add(new GitOpsEffect.Resume(again, PausedBy(context)));
            return null;
        }

        if (pause is not { Phase: GitOpsPausePhase.Paused, ResumePatch: { } patch })
        {
            return null;
        }

        var revision = GitOpsSource.CommitOf(context.Source?.Revision) is { } commit ? GitOpsSource.Short(commit) : "the tracked revision";
        var resumeAfter = GoDuration.TryParse(context.Policy?.ResumeAfter, out var after) ? after : (TimeSpan?)null;
        var pausedAt = new DateTimeOffset(DateTime.SpecifyKind(pause.PausedAt ?? now.UtcDateTime, DateTimeKind.Utc));
        string? reason = null;
        if (context.ResumeRequested)
        {
            reason = "a person asked for it (spec.gitops.resume)";
        }
        else if (context.SourceHoldsFix == true && changes.Count > 0)
        {
            reason = $"git at {revision} holds the fix ({string.Join("; ", changes.Select(c => $"{c.Field} {c.To}"))})";
        }
        else if (resumeAfter is { } limit && now >= pausedAt + limit)
        {
            reason = $"the policy's resumeAfter ({context.Policy!.ResumeAfter}) ran out; git at {revision} does not hold the fix, so the owner will apply what git holds";
        }

        if (reason is not null)
        {
            events.Add(new IncidentEvent.OwnerResumeDecided(reason));
            effects.Add(new GitOpsEffect.Resume(patch, PausedBy(context)));
            return null;
        }

        var waiting = changes.Count == 0
            ? "stays paused: no verified mitigation to write back yet"
            : $"stays paused: git at {revision} does not hold the fix yet ({WhatToDo(context, gitops)})";
        events.Add(new IncidentEvent.OwnerPauseHeld(waiting));
        return resumeAfter is { } wait ? pausedAt + wait : null;
    }

    private static string WhatToDo(GitOpsFollowUpContext context, IncidentGitOpsStatus gitops) => gitops.WriteBack switch
    {
        { Phase: GitOpsWriteBackPhase.Pushed, PullRequestUrl: { } url } => $"merge {url}",
        { Phase: GitOpsWriteBackPhase.Pushed, Branch: { } branch } when branch != gitops.Owner?.TargetRevision => $"merge branch {branch}",
        { Phase: GitOpsWriteBackPhase.Pushed } => "waiting for the owner to see the pushed commit",
        { Phase: GitOpsWriteBackPhase.Failed, Message: { } message } => $"the write-back failed: {message}",
        _ when (context.Policy?.WriteBack?.Mode ?? GitWriteBackMode.None) == GitWriteBackMode.None =>
            "write-back is off: change git by hand, or set the Incident's spec.gitops.resume to resume now",
        _ => "the write-back is in progress",
    };

    private static string PausedBy(GitOpsFollowUpContext context) => OwnerPause.PausedByValue(context.IncidentNamespace, context.IncidentName);

    private static TimeSpan Backoff(int attempts)
    {
        var delay = FirstRetry * Math.Pow(2, Math.Max(0, attempts - 1));
        return delay < LongestRetry ? delay : LongestRetry;
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;
}
