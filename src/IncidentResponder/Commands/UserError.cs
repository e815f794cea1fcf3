namespace IncidentResponder.Commands;

/// <summary>
/// A mistake the user can fix: a flag's value, a file it names, a port it asks for. Its message is the whole report,
/// one line naming the flag or file and what to do; the top-level handler prints it and exits 2, never with a trace.
/// </summary>
internal sealed class UserError : Exception
{
    public UserError()
    {
    }

    public UserError(string message)
        : base(message)
    {
    }

    public UserError(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
