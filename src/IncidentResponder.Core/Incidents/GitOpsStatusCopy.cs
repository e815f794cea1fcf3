using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Core.Incidents;

/// <summary>Deep copy of an incident's GitOps record, for <see cref="IncidentStatusCopy"/>.</summary>
public static class GitOpsStatusCopy
{
    public static IncidentGitOpsStatus? Clone(IncidentGitOpsStatus? gitops) => gitops is null ? null : new IncidentGitOpsStatus
    {
        Owner = gitops.Owner is not { } owner ? null : new GitOpsOwnerRecord
        {
            Tool = owner.Tool, Kind = owner.Kind, Namespace = owner.Namespace, Name = owner.Name, Evidence = owner.Evidence,
            SourceUrl = owner.SourceUrl, Path = owner.Path, TargetRevision = owner.TargetRevision, Revision = owner.Revision,
        },
        Pause = gitops.Pause is not { } pause ? null : new GitOpsPauseRecord
        {
            Phase = pause.Phase, Summary = pause.Summary, PausePatch = pause.PausePatch, ResumePatch = pause.ResumePatch,
            PausedAt = pause.PausedAt, ResumedAt = pause.ResumedAt, Message = pause.Message,
        },
        WriteBack = gitops.WriteBack is not { } writeBack ? null : new GitOpsWriteBackRecord
        {
            Phase = writeBack.Phase, Mode = writeBack.Mode, Changes = writeBack.Changes?.ToList(), Branch = writeBack.Branch,
            Commit = writeBack.Commit, PullRequestUrl = writeBack.PullRequestUrl, Attempts = writeBack.Attempts,
            LastAttemptAt = writeBack.LastAttemptAt, Message = writeBack.Message,
        },
        Warnings = gitops.Warnings?.ToList(),
    };
}
