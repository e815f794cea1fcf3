using IncidentResponder.Core.Detection;

namespace IncidentResponder.Core.Exhaustion;

/// <summary>Which containers of the serving revision are being killed for memory: the default target of a raise.</summary>
public static class OomKilledContainers
{
    /// <summary>Container names in pod order, most-killed first; OOMKilled reasons and exit code 137 both count.</summary>
    public static IReadOnlyList<string> Of(DetectionInput observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        var current = RolloutRecency.NewReplicaSet(observed.Deployment, observed.ReplicaSets);
        return [.. observed.Pods
            .Where(p => current is null || p.OwnerReplicaSet == current.Name || (p.OwnerReplicaSet is null && p.PodTemplateHash == current.PodTemplateHash))
            .SelectMany(p => p.Containers)
            .Where(c => c.LastTerminatedReason == "OOMKilled" || c.LastTerminatedExitCode == 137)
            .GroupBy(c => c.Name)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key)];
    }
}
