using IncidentResponder.Runtime.Metrics;

namespace IncidentResponder.Runtime.Tests.Simulated;

internal sealed class RuntimeMetricsProbe(RuntimeMetrics metrics)
{
    public double LeaderStatus(string lease) => metrics.LeaderStatus.WithLabels(lease).Value;
}
