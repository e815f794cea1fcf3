namespace IncidentResponder.Runtime.Controllers;

/// <summary>A terminal failure the controller stopped retrying, kept so it is visible rather than dropped.</summary>
public sealed record TerminalError(ReconcileRequest Request, string ReconcileId, TerminalReconcileException Error, DateTimeOffset At);
