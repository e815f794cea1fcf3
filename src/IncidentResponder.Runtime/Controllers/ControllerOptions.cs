namespace IncidentResponder.Runtime.Controllers;

public sealed record ControllerOptions
{
    /// <summary>Used in logs and as the controller / queue label of every metric.</summary>
    public required string Name { get; init; }

    /// <summary>controller-runtime's default is 1: one reconcile at a time is the safe choice.</summary>
    public int MaxConcurrentReconciles { get; init; } = 1;

    /// <summary>A reconcile still running after this is cancelled and counted as an error (then retried).</summary>
    public TimeSpan ReconcileTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
