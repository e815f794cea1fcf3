using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace IncidentResponder.Api.V1Alpha1;

/// <summary>What a person asks of the GitOps side of an incident.</summary>
public sealed class IncidentGitOpsSpec
{
    [Description("true resumes the GitOps owner this incident paused, even if git does not hold the fix yet (the tool then applies what git holds).")]
    public bool? Resume { get; set; }
}

/// <summary>The GitOps side of an incident: who applies the target from git, the pause, and the change written back.</summary>
public sealed class IncidentGitOpsStatus
{
    [Description("The Argo CD Application, Flux Kustomization or HelmRelease that applies the target from git.")]
    public GitOpsOwnerRecord? Owner { get; set; }

    [Description("The owner's pause: decided with the action's intent, so a restart restores exactly what it took.")]
    public GitOpsPauseRecord? Pause { get; set; }

    [Description("The mitigation written back to git.")]
    public GitOpsWriteBackRecord? WriteBack { get; set; }

    [MaxLength(10)]
    [Description("Things that may undo the pause (an ApplicationSet, an app of apps, a parent Kustomization).")]
    public List<string>? Warnings { get; set; }
}

public sealed class GitOpsOwnerRecord
{
    [Description("ArgoCD or Flux.")]
    public string Tool { get; set; } = string.Empty;

    [Description("Application, Kustomization or HelmRelease.")]
    public string Kind { get; set; } = string.Empty;

    public string Namespace { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    [Description("What on the target named the owner.")]
    public string? Evidence { get; set; }

    [Description("The git repository the owner applies from.")]
    public string? SourceUrl { get; set; }

    [Description("The folder of the repository the owner applies.")]
    public string? Path { get; set; }

    [Description("The branch or tag the owner tracks.")]
    public string? TargetRevision { get; set; }

    [Description("The commit the owner last reported.")]
    public string? Revision { get; set; }
}

public enum GitOpsPausePhase
{
    /// <summary>The pause is decided and recorded; the patch may or may not have reached the owner.</summary>
    Pausing,
    Paused,

    /// <summary>The owner would not undo the change (no automated sync, suspended already, drift detection off).</summary>
    NotNeeded,

    /// <summary>The resume is decided and recorded; the patch may or may not have reached the owner.</summary>
    Resuming,
    Resumed,
}

public sealed class GitOpsPauseRecord
{
    public GitOpsPausePhase Phase { get; set; }

    [Description("What the pause does or why none is needed.")]
    public string? Summary { get; set; }

    [Description("The merge patch that pauses the owner.")]
    public string? PausePatch { get; set; }

    [Description("The merge patch that restores exactly what the pause changed.")]
    public string? ResumePatch { get; set; }

    public DateTime? PausedAt { get; set; }

    public DateTime? ResumedAt { get; set; }

    [Description("Why the owner was resumed, or why it stays paused.")]
    public string? Message { get; set; }
}

public enum GitOpsWriteBackPhase
{
    /// <summary>The commit is decided and recorded; it may or may not have been pushed.</summary>
    Pending,
    Pushed,
    Failed,
}

public sealed class GitOpsWriteBackRecord
{
    public GitOpsWriteBackPhase Phase { get; set; }

    public GitWriteBackMode Mode { get; set; }

    [MaxLength(10)]
    [Description("The changes written, e.g. 'Deployment web container web image: app:2 -> app:1'.")]
    public List<string>? Changes { get; set; }

    [Description("The branch pushed to.")]
    public string? Branch { get; set; }

    [Description("The commit pushed.")]
    public string? Commit { get; set; }

    public string? PullRequestUrl { get; set; }

    public int? Attempts { get; set; }

    public DateTime? LastAttemptAt { get; set; }

    [Description("The outcome of the last attempt, in words a person can act on.")]
    public string? Message { get; set; }
}
