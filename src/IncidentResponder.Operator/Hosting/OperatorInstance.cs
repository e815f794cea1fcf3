using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Hosting;
using IncidentResponder.Runtime.Metrics;

namespace IncidentResponder.Operator.Hosting;

/// <summary>One wired operator: run it, and look at what it last saw (for the demo's narration and for tests).</summary>
public sealed class OperatorInstance(ControllerManager manager, TargetObserver observer, RuntimeMetrics metrics)
{
    public ControllerManager Manager => manager;

    public RuntimeMetrics Metrics => metrics;

    /// <summary>Runs informers and controllers until cancelled or, with leader election, until leadership is lost.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => manager.RunAsync(cancellationToken);

    /// <summary>The last detection of a Deployment, if this instance has observed it.</summary>
    public DetectionSnapshot? LastDetection(string ns, string name) => observer.Last(ns, name);
}
