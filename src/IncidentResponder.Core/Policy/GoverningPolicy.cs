using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Core.Policy;

/// <summary>
/// Which RemediationPolicy governs a Deployment, and how it routes a signal. One rule for detection (from the caches)
/// and for alert intake (from a live list), so an alert and a detected signal about one Deployment meet one policy.
/// </summary>
public static class GoverningPolicy
{
    /// <summary>
    /// Of the policies of the Deployment's namespace, those whose selector matches its labels; when several do, the
    /// oldest (then by name), so the answer does not change when a newer policy is added. Null when none matches.
    /// </summary>
    public static RemediationPolicy? Of(IEnumerable<RemediationPolicy> policiesInNamespace, IReadOnlyDictionary<string, string> deploymentLabels)
    {
        ArgumentNullException.ThrowIfNull(policiesInNamespace);
        ArgumentNullException.ThrowIfNull(deploymentLabels);
        return policiesInNamespace
            .Where(p => LabelSelectorMatcher.Matches(p.Spec.Selector, deploymentLabels))
            .OrderBy(p => p.Metadata.CreationTimestamp ?? DateTime.MaxValue)
            .ThenBy(p => p.Metadata.Name, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    /// <summary>The policy's route for a signal; null when the policy does not handle it.</summary>
    public static SignalRoute? Route(RemediationPolicy policy, SignalType signal)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy.Spec.Signals.Find(route => route.Signal == signal);
    }
}
