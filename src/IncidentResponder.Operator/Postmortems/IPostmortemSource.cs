namespace IncidentResponder.Operator.Postmortems;

/// <summary>
/// Somewhere a post-mortem can be read back from. <c>incident-responder postmortem</c> tries its sources in order (the
/// cluster's ConfigMap first, then the history store, which still has it after the Incident is deleted).
/// </summary>
public interface IPostmortemSource
{
    /// <summary>Names the source in messages ("ConfigMap shop/web-crashloop-r2-postmortem").</summary>
    string Describe(string ns, string incident);

    /// <summary>The post-mortem Markdown, or null when this source does not have it.</summary>
    Task<string?> FindAsync(string ns, string incident, CancellationToken cancellationToken);
}

/// <summary>Tries the sources in order and returns the first post-mortem found, with where it came from.</summary>
public static class PostmortemSources
{
    /// <summary>
    /// A source that cannot be read (the cluster unreachable, the database down) is noted with its reason and the next
    /// one is tried: the history store exists precisely for when the cluster no longer has the incident.
    /// </summary>
    public static async Task<(string? Markdown, IReadOnlyList<string> Tried)> FindAsync(IEnumerable<IPostmortemSource> sources, string ns, string incident, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var tried = new List<string>();
        foreach (var source in sources)
        {
            try
            {
                if (await source.FindAsync(ns, incident, cancellationToken).ConfigureAwait(false) is { } markdown)
                {
                    tried.Add(source.Describe(ns, incident));
                    return (markdown, tried);
                }

                tried.Add(source.Describe(ns, incident));
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                tried.Add($"{source.Describe(ns, incident)} (unreadable: {error.Message})");
            }
        }

        return (null, tried);
    }
}
