namespace IncidentResponder.History;

/// <summary>
/// How fast incidents of one severity in one namespace were detected and restored, over a time range.
/// MTTD: signal visible (<c>detectedAt</c>) → incident opened (<c>openedAt</c>).
/// MTTR (time to restore): signal visible → target verified healthy (<c>mitigatedAt</c>), or → resolved when the
/// incident was closed without a verified mitigation (a person closed it, or the signal cleared).
/// Each figure is over the incidents that have both timestamps; the counts say how many that is.
/// </summary>
public sealed record ResponseTimes(
    string Namespace,
    string Severity,
    int Incidents,
    DurationStats Detect,
    DurationStats Restore);

/// <summary>Average, median and 90th percentile (linear interpolation, PostgreSQL's percentile_cont) of a duration.</summary>
public sealed record DurationStats(int Count, TimeSpan? Average, TimeSpan? P50, TimeSpan? P90);
