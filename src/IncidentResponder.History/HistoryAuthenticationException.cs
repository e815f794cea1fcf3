namespace IncidentResponder.History;

/// <summary>
/// PostgreSQL refused the configured credentials. Its message is one line a person can act on (which user, and where
/// the password comes from); retrying will not help until the configuration changes.
/// </summary>
public sealed class HistoryAuthenticationException : HistoryStoreException
{
    public HistoryAuthenticationException()
    {
    }

    public HistoryAuthenticationException(string message)
        : base(message)
    {
    }

    public HistoryAuthenticationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
