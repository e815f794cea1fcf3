namespace IncidentResponder.Core.Evidence;

/// <summary>
/// What an on-call engineer would gather by hand in the playbook's investigation phase, collected once when the
/// incident opened: the failing containers' last log lines, error counts, the target's Events, the rollout history and what changed.
/// Everything in it is already bounded and redacted.
/// </summary>
public sealed record EvidenceBundle(
    string Incident,
    string Namespace,
    string TargetName,
    DateTimeOffset CollectedAt,
    TargetSnapshot? Snapshot,
    IReadOnlyList<LogExcerpt> Logs,
    IReadOnlyList<ErrorCount> Errors,
    IReadOnlyList<EventSummary> Events,
    IReadOnlyList<RevisionEntry> Rollout,
    RevisionDiff? Diff,
    IReadOnlyList<string> Notes);

/// <summary>The target as it stood when evidence was collected.</summary>
/// <param name="ProgressDeadlineSeconds">spec.progressDeadlineSeconds (the API server defaults it to 600).</param>
public sealed record TargetSnapshot(
    int DesiredReplicas,
    int AvailableReplicas,
    int UnavailableReplicas,
    long? Revision,
    int? ProgressDeadlineSeconds,
    IReadOnlyList<ContainerSettings> Containers);

/// <summary>One container of the target's current template: what post-mortem action items are computed from.</summary>
public sealed record ContainerSettings(string Name, string Image, string? MemoryRequest, string? MemoryLimit, bool ReadinessProbe, bool LivenessProbe);

/// <summary>The last lines of one container log, current or previous instance.</summary>
/// <param name="Unavailable">Why there are no lines (the API server's answer), when there are none.</param>
public sealed record LogExcerpt(string Pod, string Container, bool Previous, IReadOnlyList<string> Lines, int OmittedLines, string? Unavailable = null);

/// <summary>One Event (core/v1) about the target, its ReplicaSets or its pods.</summary>
public sealed record EventSummary(
    DateTimeOffset? FirstSeen,
    DateTimeOffset? LastSeen,
    string Type,
    string Reason,
    string ObjectKind,
    string ObjectName,
    int Count,
    string Message);

/// <summary>One revision of the target (kubectl rollout history), from its ReplicaSet.</summary>
public sealed record RevisionEntry(long Revision, string ReplicaSet, IReadOnlyList<string> Images, int Replicas, int ReadyReplicas, DateTimeOffset CreatedAt);

/// <summary>The failing revision compared with the last good one (the incident's status.change).</summary>
public sealed record RevisionDiff(long? FailingRevision, long? GoodRevision, IReadOnlyList<string> Differences);
