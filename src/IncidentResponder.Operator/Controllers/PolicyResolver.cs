using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Policy;
using IncidentResponder.Operator.Observation;

namespace IncidentResponder.Operator.Controllers;

/// <summary>Which policy governs a cached Deployment or CronJob, and that policy with the operator's own settings applied.</summary>
public sealed class PolicyResolver(ClusterCache cache, PolicyOverrides overrides)
{
    /// <summary>The policy that governs the Deployment (<see cref="GoverningPolicy.Of"/>), from the caches.</summary>
    public RemediationPolicy? Governing(CachedDeployment deployment) =>
        GoverningPolicy.Of(cache.PoliciesIn(deployment.Namespace), deployment.Labels);

    /// <summary>The policy that governs a CronJob: selected by its labels, as a Deployment's.</summary>
    public RemediationPolicy? Governing(CachedCronJob cronJob) =>
        GoverningPolicy.Of(cache.PoliciesIn(cronJob.Namespace), cronJob.Labels);

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
}
