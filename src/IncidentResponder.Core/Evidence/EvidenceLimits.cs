namespace IncidentResponder.Core.Evidence;

/// <summary>
/// How much evidence is kept. A ConfigMap holds at most 1 MiB and carries the bundle twice (Markdown and JSON), so
/// the defaults keep one rendering near a quarter of that however noisy the pods are.
/// </summary>
public sealed record EvidenceLimits
{
    public static EvidenceLimits Default { get; } = new();

    /// <summary>Pods whose logs are read (the failing revision's first few tell the story; more repeat it).</summary>
    public int MaxPods { get; init; } = 3;

    /// <summary>The last lines read of each container log (kubectl logs --tail): errors are counted over all of them.</summary>
    public int MaxLinesRead { get; init; } = 500;

    /// <summary>
    /// Bytes read of each container log at most (kubectl logs --limit-bytes): the workload decides how long its lines
    /// are, and one line of a gigabyte passes any tail. Room for <see cref="MaxLinesRead"/> lines of ordinary length.
    /// </summary>
    public int MaxBytesRead { get; init; } = 512 * 1024;

    /// <summary>The last lines kept of each container log, to be read by a person.</summary>
    public int MaxLinesPerLog { get; init; } = 50;

    /// <summary>A longer line is cut; it also bounds the time the redaction patterns spend on one line.</summary>
    public int MaxLineLength { get; init; } = 1000;

    /// <summary>Bytes of one log excerpt (one container, current or previous).</summary>
    public int MaxBytesPerSection { get; init; } = 16 * 1024;

    /// <summary>Bytes of all log excerpts together; excerpts past it are left out with a note.</summary>
    public int MaxLogBytes { get; init; } = 96 * 1024;

    /// <summary>Events kept, most recent first.</summary>
    public int MaxEvents { get; init; } = 30;

    /// <summary>Revisions kept in the rollout history, newest first.</summary>
    public int MaxRevisions { get; init; } = 10;

    /// <summary>A longer event message is cut.</summary>
    public int MaxMessageLength { get; init; } = 512;
}
