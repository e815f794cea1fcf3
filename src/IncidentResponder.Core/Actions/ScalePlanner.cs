using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Policy;

namespace IncidentResponder.Core.Actions;

/// <summary>
/// kubectl scale, decided: by a delta or a factor (rounded up), never above the policy's maxReplicas, never down.
/// With an HPA on the Deployment the HPA's minReplicas rises instead (and maxReplicas, if it must, to stay ≥ min):
/// changing the Deployment's replicas would be undone by the HPA's next sync.
/// </summary>
public static class ScalePlanner
{
    /// <param name="originalReplicas">Replicas (or HPA min) before this incident's first scale, if it scaled before.</param>
    /// <param name="originalMaxReplicas">HPA max before this incident's first scale, if it scaled before.</param>
    public static ActionPlan Plan(
        ScaleAction? settings, DeploymentObservation deployment, HpaObservation? hpa, ActionCaps caps,
        int? originalReplicas = null, int? originalMaxReplicas = null)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(caps);
        if (settings is null || (settings.Delta is null && settings.Factor is null))
        {
            return new ActionPlan.Skip("the Scale step has no 'scale' block (delta or factor); nothing to compute");
        }

        return hpa is null ? PlanDeployment(settings, deployment, caps, originalReplicas) : PlanHpa(settings, deployment, hpa, caps, originalReplicas, originalMaxReplicas);
    }

    /// <summary>The replicas a delta or factor asks for, from <paramref name="current"/>; a factor rounds up (1.5 × 3 = 5).</summary>
    public static int Wanted(ScaleAction settings, int current)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Delta is { } delta
            ? current + delta
            : (int)Math.Min(int.MaxValue, Math.Ceiling((decimal)current * (decimal)(settings.Factor ?? 1.0)));
    }

    private static ActionPlan PlanDeployment(ScaleAction settings, DeploymentObservation deployment, ActionCaps caps, int? originalReplicas)
    {
        var current = deployment.DesiredReplicas;
        if (current == 0 && settings.Delta is null)
        {
            return new ActionPlan.Skip($"Deployment {deployment.Name} runs 0 replicas (scaled to zero on purpose?); a factor cannot scale it up");
        }

        var original = originalReplicas ?? current;
        var cap = caps.ReplicaCap(original);
        var wanted = Wanted(settings, current);
        var target = Math.Min(wanted, cap);
        if (target <= current)
        {
            return new ActionPlan.Refuse("max-replicas",
                $"refused by max-replicas: Deployment {deployment.Name} already runs {current} replicas and the cap is {cap} ({CapSource(caps, original)})");
        }

        var capped = target < wanted ? $" (capped from {wanted} by max-replicas {cap})" : string.Empty;
        var change = new ActionChange.ScaleDeployment(deployment.Name, current, target, original, settings.ScaleBackOnResolve ?? false);
        return new ActionPlan.Apply(change, change.Describe() + capped);
    }

    private static ActionPlan PlanHpa(
        ScaleAction settings, DeploymentObservation deployment, HpaObservation hpa, ActionCaps caps, int? originalMin, int? originalMax)
    {
        if (hpa.ScaleTargetName != deployment.Name)
        {
            return new ActionPlan.Refuse("hpa-target", $"refused: HPA {hpa.Name} scales {hpa.ScaleTargetName}, not Deployment {deployment.Name}");
        }

        // Scale from what runs now: the HPA may already run more than its minimum.
        var current = Math.Max(hpa.CurrentReplicas, hpa.MinReplicas);
        var min = originalMin ?? hpa.MinReplicas;
        var cap = caps.ReplicaCap(Math.Max(min, hpa.CurrentReplicas));
        var wanted = Wanted(settings, current);
        var toMin = Math.Min(wanted, cap);
        if (toMin <= hpa.MinReplicas)
        {
            return new ActionPlan.Refuse("max-replicas",
                $"refused by max-replicas: HPA {hpa.Name} minReplicas is {hpa.MinReplicas} and {wanted} replicas would pass the cap of {cap} ({CapSource(caps, min)})");
        }

        var toMax = Math.Max(hpa.MaxReplicas, toMin);
        var capped = toMin < wanted ? $" (capped from {wanted} by max-replicas {cap})" : string.Empty;
        var change = new ActionChange.ScaleHpa(hpa.Name, hpa.MinReplicas, toMin, hpa.MaxReplicas, toMax, min, originalMax ?? hpa.MaxReplicas,
            settings.ScaleBackOnResolve ?? false);
        return new ActionPlan.Apply(change, change.Describe() + capped + $"; the HPA manages Deployment {deployment.Name}, whose replicas stay untouched");
    }

    private static string CapSource(ActionCaps caps, int original) =>
        caps.MaxReplicas is { } max ? $"policy maxReplicas {max}" : $"no maxReplicas in the policy: at most {ActionCaps.DefaultReplicaFactor}× the original {original}";
}
