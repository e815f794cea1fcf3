namespace IncidentResponder.Runtime.Controllers;

/// <summary>The values of the <c>result</c> label of controller_runtime_reconcile_total.</summary>
internal enum ReconcileOutcome
{
    Success,
    Error,
    RequeueAfter,
}
