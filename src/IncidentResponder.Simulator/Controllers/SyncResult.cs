namespace IncidentResponder.Simulator.Controllers;

/// <summary>What one reconcile decided: the writes, in order, and when to look again if nothing else changes.</summary>
public sealed record SyncResult(IReadOnlyList<ControllerWrite> Writes, TimeSpan? RequeueAfter)
{
    public static SyncResult Nothing { get; } = new([], null);
}
