using IncidentResponder.Core.Observations;

namespace IncidentResponder.Core.Jobs;

/// <summary>How a Job ended, from its conditions (Complete / Failed), or that it has not.</summary>
public enum JobRunOutcome
{
    Running,
    Succeeded,
    Failed,
}

/// <summary>One run of a CronJob: a Job it owns, with its pods, projected by the shell.</summary>
/// <param name="CreatedAt">The Job's creationTimestamp: runs are ordered by it.</param>
/// <param name="Template">The Job's pod template (containers only): a run counts for the template the CronJob has now only if it ran it.</param>
/// <param name="FailureReason">The reason of the Failed condition, e.g. BackoffLimitExceeded, DeadlineExceeded.</param>
/// <param name="Pods">The Job's pods (at most a handful: one per attempt up to backoffLimit).</param>
public sealed record JobRun(
    string Name,
    DateTimeOffset CreatedAt,
    PodTemplateSummary Template,
    JobRunOutcome Outcome,
    string? FailureReason,
    ValueList<PodObservation> Pods)
{
    /// <summary>A pod of this run had a container killed for memory (reason OOMKilled, or exit code 137).</summary>
    public bool OomKilled => Pods.Any(p => p.Containers.Any(IsOomKill));

    /// <summary>Names of this run's pods with a container killed for memory, sorted.</summary>
    public IEnumerable<string> OomKilledPods => Pods.Where(p => p.Containers.Any(IsOomKill)).Select(p => p.Name).Order(StringComparer.Ordinal);

    internal static bool IsOomKill(ContainerObservation container) =>
        container.LastTerminatedReason == "OOMKilled" || container.LastTerminatedExitCode == 137;
}

/// <summary>
/// What the core needs of a CronJob: its identity, whether it is suspended, the action marker annotation and the pod
/// template of its jobTemplate (what a memory raise changes and what the next run will use).
/// </summary>
/// <param name="Generation">metadata.generation: moves with every spec change, e.g. a raise.</param>
/// <param name="Suspended">spec.suspend: no run will start, so a raise would not be tried.</param>
public sealed record CronJobObservation(
    string Namespace,
    string Name,
    string Uid,
    long Generation,
    bool Suspended,
    IReadOnlyDictionary<string, string> Annotations,
    PodTemplateSummary? Template);
