using IncidentResponder.Operator.Controllers;
using IncidentResponder.Runtime.Metrics;

namespace IncidentResponder.Operator.Bench;

/// <summary>One controller's work queue and reconcile figures over an interval (from the operator's own metrics).</summary>
internal sealed record ControllerCounters(
    string Controller, double Adds, double Dequeued, double QueueSeconds, double Reconciles, double WorkSeconds, double Retries, double Errors)
{
    public double MeanQueueMs => Dequeued == 0 ? 0 : QueueSeconds / Dequeued * 1000;

    public double MeanWorkMs => Reconciles == 0 ? 0 : WorkSeconds / Reconciles * 1000;

    public ControllerCounters Minus(ControllerCounters earlier) => new(Controller, Adds - earlier.Adds, Dequeued - earlier.Dequeued,
        QueueSeconds - earlier.QueueSeconds, Reconciles - earlier.Reconciles, WorkSeconds - earlier.WorkSeconds, Retries - earlier.Retries, Errors - earlier.Errors);
}

/// <summary>
/// Reads, from the operator's Prometheus metrics, the two controllers on the measured path and policy-status (each of
/// its status writes wakes a detection reconcile of every Deployment in the policy's namespace).
/// </summary>
internal static class OperatorCounters
{
    public static readonly string[] Controllers = [RolloutDetectionReconciler.Name, IncidentReconciler.Name, PolicyStatusReconciler.Name];

    public static IReadOnlyList<ControllerCounters> Read(RuntimeMetrics metrics) =>
        [.. Controllers.Select(name =>
        {
            var queue = metrics.QueueLatency.WithLabels(name, name);
            var work = metrics.WorkDuration.WithLabels(name, name);
            return new ControllerCounters(name, metrics.QueueAdds.WithLabels(name, name).Value, queue.Count, queue.Sum, work.Count, work.Sum,
                metrics.QueueRetries.WithLabels(name, name).Value, metrics.ReconcileErrors.WithLabels(name).Value);
        })];
}
