namespace IncidentResponder.Runtime.Informers;

public sealed record InformerOptions
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>Page size of the LIST (client-go uses 500).</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>
    /// Server-side watch timeout is drawn from [min, 2·min) per watch (client-go: 5 min), so watches end on their own
    /// and many informers do not reconnect at the same moment.
    /// </summary>
    public TimeSpan MinWatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A watch that delivered nothing (not even a bookmark) for this long is presumed dead and replaced. With bookmarks
    /// the API server sends something about once a minute, so silence this long means a hung connection.
    /// </summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromMinutes(3);

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(800);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Fraction added at random to each backoff delay.</summary>
    public double BackoffJitter { get; init; } = 1.0;
}
