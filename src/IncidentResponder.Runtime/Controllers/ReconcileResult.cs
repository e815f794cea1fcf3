namespace IncidentResponder.Runtime.Controllers;

/// <summary>The outcome of a successful reconcile: done, or look again after a delay. Failures are exceptions.</summary>
public sealed record ReconcileResult
{
    private ReconcileResult(TimeSpan? requeueAfter) => RequeueAfterDelay = requeueAfter;

    public static ReconcileResult Done { get; } = new((TimeSpan?)null);

    public TimeSpan? RequeueAfterDelay { get; }

    /// <summary>Reconcile again after <paramref name="delay"/> (for polling), without counting as a failure.</summary>
    public static ReconcileResult RequeueAfter(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(delay, TimeSpan.Zero);
        return new ReconcileResult(delay);
    }
}
