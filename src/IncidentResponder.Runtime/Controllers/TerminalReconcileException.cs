namespace IncidentResponder.Runtime.Controllers;

/// <summary>
/// A failure that retrying cannot fix (e.g. an invalid spec). The controller records it (log, metric,
/// <see cref="Controller.TerminalErrors"/>) and does not retry until the object changes and is enqueued again.
/// </summary>
public sealed class TerminalReconcileException : Exception
{
    public TerminalReconcileException()
    {
    }

    public TerminalReconcileException(string message)
        : base(message)
    {
    }

    public TerminalReconcileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
