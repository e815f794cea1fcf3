namespace IncidentResponder.Operator.History;

/// <summary>How the history controller polls, retries and buffers. The defaults suit a cluster; tests shorten them.</summary>
public sealed record HistoryTimings
{
    /// <summary>
    /// How often an open incident, or a resolved one whose post-mortem has not appeared yet, is looked at again: its
    /// evidence and post-mortem ConfigMaps change without the Incident changing, and the operator watches no ConfigMaps.
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long after resolution a post-mortem ConfigMap is still waited for.</summary>
    public TimeSpan PostmortemWait { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The first retry after a failed write; each further failure doubles it, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between retries, and so the longest catch-up delay once the database is back.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Timeline entries kept in memory per incident while they are not recorded yet (see <see cref="HistoryBacklog"/>).
    /// The status keeps 100; a larger buffer holds what the status trims during a database outage.
    /// </summary>
    public int MaxBufferedEntriesPerIncident { get; init; } = 1000;
}
