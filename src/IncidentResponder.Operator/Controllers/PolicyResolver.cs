using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Policy;
using IncidentResponder.Operator.Observation;

namespace IncidentResponder.Operator.Controllers;

/// <summary>Which policy governs a Deployment, and that policy with the operator's own settings applied.</summary>
public sealed class PolicyResolver(ClusterCache cache, PolicyOverrides overrides)
{
    /// <summary>
    /// The policy of the Deployment's namespace whose selector matches it; when several do, the oldest (then by name),
    /// so the answer does not change when a newer policy is added.
    /// </summary>
    public RemediationPolicy? Governing(CachedDeployment deployment) =>
        cache.PoliciesIn(deployment.Namespace)
            .Where(p => LabelSelectorMatcher.Matches(p.Spec.Selector, deployment.Labels))
            .OrderBy(p => p.Metadata.CreationTimestamp ?? DateTime.MaxValue)
            .ThenBy(p => p.Metadata.Name, StringComparer.Ordinal)
            .FirstOrDefault();

    public EffectivePolicy Effective(RemediationPolicy policy)
    {
        var effective = EffectivePolicy.From(policy);
        if (overrides.ReadinessGrace is { } grace)
        {
            effective = effective with { Detection = effective.Detection with { ReadinessGrace = grace } };
        }

        return overrides.ScaleBackAfter is { } scaleBackAfter
            ? effective with { Caps = effective.ActionCaps with { ScaleBackAfter = scaleBackAfter } }
            : effective;
    }

    /// <summary>The policy's route for a signal; null when the policy does not handle it.</summary>
    public static SignalRoute? Route(RemediationPolicy policy, SignalType signal) =>
        policy.Spec.Signals.Find(route => route.Signal == signal);
}
