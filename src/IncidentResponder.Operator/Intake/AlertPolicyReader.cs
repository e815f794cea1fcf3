using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Alerts;
using IncidentResponder.Core.Policy;
using k8s;

namespace IncidentResponder.Operator.Intake;

/// <summary>
/// The policy that governs an alert's Deployment, chosen by the core's <see cref="GoverningPolicy"/> as detection
/// chooses it, from a live list. Its alert routes say which signal each alert is; it counts only when it routes that
/// signal to a runbook: then the incident names the runbook, and the signal's route may pin the severity.
/// </summary>
public sealed class AlertPolicyReader(IKubernetes client)
{
    public async Task<IReadOnlyDictionary<string, AlertPolicy?>> ReadAsync(IEnumerable<IncidentPlan> plans, CancellationToken cancellationToken)
    {
        var byName = new Dictionary<string, AlertPolicy?>(StringComparer.Ordinal);
        var policiesByNamespace = new Dictionary<string, IReadOnlyList<RemediationPolicy>>(StringComparer.Ordinal);
        foreach (var plan in plans)
        {
            if (!policiesByNamespace.TryGetValue(plan.Namespace, out var policies))
            {
                var list = await client.CustomObjects.ListNamespacedCustomObjectAsync<CustomResourceList<RemediationPolicy>>(
                    GroupVersion.Group, GroupVersion.Version, plan.Namespace, RemediationPolicy.Plural, cancellationToken: cancellationToken);
                policies = [.. list.Items];
                policiesByNamespace[plan.Namespace] = policies;
            }

            byName[plan.Name] = Governing(policies, plan.Target.Deployment);
        }

        return byName;
    }

    private static AlertPolicy? Governing(IEnumerable<RemediationPolicy> policies, DeploymentFact deployment)
    {
        var policy = GoverningPolicy.Of(policies, deployment.Labels);
        return policy is null ? null : AlertPolicy.From(policy);
    }
}
