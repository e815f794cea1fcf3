namespace IncidentResponder.Runtime.Controllers;

/// <summary>
/// The reconcile contract (controller-runtime's reconcile.Reconciler).
/// Return <see cref="ReconcileResult.Done"/> or <see cref="ReconcileResult.RequeueAfter"/>; throw to be retried with
/// per-item exponential backoff; throw <see cref="TerminalReconcileException"/> when retrying cannot help.
/// </summary>
public interface IReconciler
{
    Task<ReconcileResult> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken);
}
