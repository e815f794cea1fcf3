namespace IncidentResponder.History;

/// <summary>The history store could not do what was asked for a reason other than the database being unreachable.</summary>
public class HistoryStoreException : Exception
{
    public HistoryStoreException()
    {
    }

    public HistoryStoreException(string message)
        : base(message)
    {
    }

    public HistoryStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
