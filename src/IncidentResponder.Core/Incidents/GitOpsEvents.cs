using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Core.Incidents;

public abstract partial record IncidentEvent
{
    /// <summary>Something about the GitOps owner of the target: its pause, its resume, the change written back to git.</summary>
    public abstract record GitOpsEvent : IncidentEvent;

    /// <summary>Who applies the target from git, and what may undo a pause of it.</summary>
    public sealed record OwnerRecorded(GitOpsOwnerRecord Owner, IReadOnlyList<string> Warnings) : GitOpsEvent;

    /// <summary>
    /// The pause is decided (Pausing, with both patches) or found unneeded (NotNeeded). Written with the action's intent,
    /// before the owner is touched, so a restart pauses at most once and resumes exactly what it took.
    /// </summary>
    public sealed record OwnerPauseDecided(GitOpsPauseRecord Pause) : GitOpsEvent;

    /// <summary>The pause reached the owner.</summary>
    public sealed record OwnerPaused(string Message) : GitOpsEvent;

    /// <summary>The owner stays paused, and why (what a person can do): kept on the pause record and its condition.</summary>
    public sealed record OwnerPauseHeld(string Message) : GitOpsEvent;

    /// <summary>The resume is decided; recorded before the owner is touched.</summary>
    public sealed record OwnerResumeDecided(string Reason) : GitOpsEvent;

    /// <summary>The resume reached the owner.</summary>
    public sealed record OwnerResumed(string Message) : GitOpsEvent;

    /// <summary>A commit is decided: recorded before cloning, so a restart looks for it before committing again.</summary>
    public sealed record WriteBackDecided(GitWriteBackMode Mode, IReadOnlyList<string> Changes) : GitOpsEvent;

    public sealed record WriteBackPushed(string Branch, string Commit, string? PullRequestUrl, string Message) : GitOpsEvent;

    public sealed record WriteBackFailed(string Message) : GitOpsEvent;

    /// <summary>A GitOps fact worth a line in the timeline (the pause could not be made, the owner stays paused).</summary>
    public sealed record GitOpsNoted(string Message) : GitOpsEvent;
}
