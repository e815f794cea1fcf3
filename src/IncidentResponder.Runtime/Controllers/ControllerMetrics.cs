using IncidentResponder.Runtime.Metrics;
using Prometheus;

namespace IncidentResponder.Runtime.Controllers;

/// <summary>The controller_runtime_* series of one controller, resolved once instead of per reconcile.</summary>
internal sealed class ControllerMetrics(RuntimeMetrics metrics, string controller)
{
    private readonly Counter.Child _success = metrics.ReconcileTotal.WithLabels(controller, "success");
    private readonly Counter.Child _error = metrics.ReconcileTotal.WithLabels(controller, "error");
    private readonly Counter.Child _requeueAfter = metrics.ReconcileTotal.WithLabels(controller, "requeue_after");

    public Counter.Child Errors { get; } = metrics.ReconcileErrors.WithLabels(controller);

    public Counter.Child TerminalErrors { get; } = metrics.TerminalReconcileErrors.WithLabels(controller);

    public Histogram.Child ReconcileTime { get; } = metrics.ReconcileTime.WithLabels(controller);

    public Gauge.Child ActiveWorkers { get; } = metrics.ActiveWorkers.WithLabels(controller);

    public Gauge.Child MaxConcurrentReconciles { get; } = metrics.MaxConcurrentReconciles.WithLabels(controller);

    public void Result(ReconcileOutcome outcome) =>
        (outcome switch
        {
            ReconcileOutcome.Success => _success,
            ReconcileOutcome.RequeueAfter => _requeueAfter,
            _ => _error,
        }).Inc();
}
