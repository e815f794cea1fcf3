using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Runtime.Status;
using StatusConditions = IncidentResponder.Runtime.Status.Conditions;

namespace IncidentResponder.Operator.MetricsAnalysis;

/// <summary>What one round of queries for a Deployment found wrong with a policy's Prometheus, if anything.</summary>
/// <param name="Unavailable">Prometheus could not be asked or answered garbage (first such problem).</param>
/// <param name="Rejected">Prometheus refused a check's query, with its own parser message.</param>
public sealed record MetricsProblems(string? Unavailable, string? Rejected);

/// <summary>
/// Tells people why metric analysis is blind: the policy's <c>MetricsAvailable</c> condition (written only when it
/// changes) and the operator's readiness. Only this condition of the policy's status is touched here.
/// </summary>
public sealed class MetricsAvailability(StatusWriter<RemediationPolicy> writer, MetricsHealth health, TimeProvider time)
{
    public async Task ReportAsync(RemediationPolicy policy, MetricsProblems problems, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(problems);
        health.Report(policy.Metadata.NamespaceProperty, policy.Metadata.Name, problems.Unavailable);
        var (status, reason, message) = problems switch
        {
            { Unavailable: { } why } => (StatusConditions.False, MetricsSettings.UnavailableReason, $"Prometheus cannot be asked: {why}; no metrics check is judged"),
            { Rejected: { } why } => (StatusConditions.False, MetricsSettings.QueryRejectedReason, $"Prometheus rejects a query: {why}"),
            _ => (StatusConditions.True, MetricsSettings.AnsweringReason, "Prometheus answers every check"),
        };
        var now = time.GetUtcNow();
        await writer.UpdateAsync(policy, p =>
        {
            p.Status ??= new RemediationPolicyStatus();
            p.Status.Conditions ??= [];
            StatusConditions.Set(p.Status.Conditions, MetricsSettings.AvailableCondition, status, reason, message, p.Metadata.Generation, now);
        }, cancellationToken);
    }
}
