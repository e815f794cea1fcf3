using IncidentResponder.Core.Egress;

namespace IncidentResponder.Operator.MetricsAnalysis;

/// <summary>Settings of metric analysis that are the operator's, not a policy's.</summary>
public sealed record MetricsAnalysisOptions
{
    /// <summary>The admin's egress policy: Prometheus URLs are named by tenants in their policies.</summary>
    public EgressPolicy Egress { get; init; } = EgressPolicy.Default;

    /// <summary>Never ask Prometheus for one Deployment more often than this, whatever a policy's interval says.</summary>
    public TimeSpan MinimumInterval { get; init; } = TimeSpan.FromMilliseconds(200);
}
