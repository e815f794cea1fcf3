using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Demo;

/// <summary>
/// The points a GitOps-owned rollback adds to the story, read from the Incident's status.gitops and the Argo CD
/// Application: the owner recognised, its auto-sync paused before the rollback, the revert pushed to git, and Argo CD
/// synced to the revert with auto-sync back as it was.
/// </summary>
internal static class GitOpsMilestones
{
    public static Milestone BadCommitSynced(string badCommit) => new("Argo CD to sync the bad commit", s =>
        (string?)s.Owner?["status"]?["sync"]?["revision"] == badCommit
        && s.Deployment.Spec.Template.Spec.Containers.Any(c => c.Image == CheckoutApp.BadImage)
            ? new StoryLine(s.Now, $"Argo CD synced {Short(badCommit)}: checkout → {CheckoutApp.BadImage} (automated sync, prune, self-heal)")
            : null);

    public static Milestone OwnerRecognised { get; } = new("the Incident to name the target's GitOps owner", s =>
        s.Incident?.Status?.GitOps is { Owner: { } owner } gitops
            ? new StoryLine(gitops.Pause?.PausedAt is { } at ? Utc(at) : s.Now, $"GitOps owner: {owner.Tool} {owner.Kind} {owner.Namespace}/{owner.Name}, from {owner.Path} of {owner.SourceUrl}",
                owner.Evidence is null ? [] : [$"recognised by {owner.Evidence}"])
            : null);

    public static Milestone OwnerPaused { get; } = new("the operator to pause Argo CD's auto-sync before rolling back", s =>
        s.Incident?.Status?.GitOps?.Pause is { Phase: GitOpsPausePhase.Paused or GitOpsPausePhase.Resuming or GitOpsPausePhase.Resumed } pause
            ? new StoryLine(pause.PausedAt is { } at ? Utc(at) : s.Now, $"auto-sync paused before the rollback: {pause.Summary}",
                ["without the pause, self-heal would put the bad image back within seconds"])
            : null);

    public static Milestone RevertPushed { get; } = new("the revert to be pushed to git", s =>
        s.Incident?.Status?.GitOps?.WriteBack is { Phase: GitOpsWriteBackPhase.Pushed, Commit: { } commit } writeBack
            ? new StoryLine(writeBack.LastAttemptAt is { } at ? Utc(at) : s.Now,
                $"revert pushed to {writeBack.Branch}: commit {Short(commit)} ({writeBack.Mode})", [.. (writeBack.Changes ?? []).Select(c => "changed: " + c)])
            : null);

    public static Milestone OwnerResumed { get; } = new("Argo CD to sync the revert and auto-sync to come back", s =>
        s.Incident?.Status?.GitOps is { Pause: { Phase: GitOpsPausePhase.Resumed } pause, WriteBack.Commit: { } commit }
        && (string?)s.Owner?["status"]?["sync"]?["revision"] == commit
            ? new StoryLine(pause.ResumedAt is { } at ? Utc(at) : s.Now, $"auto-sync restored as it was; Argo CD is at the revert {Short(commit)}",
                pause.Message is null ? [] : [pause.Message])
            : null);

    private static string Short(string commit) => commit.Length > 7 ? commit[..7] : commit;

    private static DateTimeOffset Utc(DateTime time) =>
        new(time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
