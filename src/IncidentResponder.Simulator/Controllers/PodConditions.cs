using k8s.Models;

namespace IncidentResponder.Simulator.Controllers;

/// <summary>Pod readiness and availability as the workload controllers judge them (<c>podutil.IsPodReady/IsPodAvailable</c>).</summary>
public static class PodConditions
{
    public static V1PodCondition? Find(V1Pod pod, string type) => pod.Status?.Conditions?.FirstOrDefault(condition => condition.Type == type);

    public static bool IsReady(V1Pod pod) => Find(pod, "Ready")?.Status == "True";

    /// <summary>Ready for at least <paramref name="minReadySeconds"/>.</summary>
    public static bool IsAvailable(V1Pod pod, int minReadySeconds, DateTimeOffset now)
    {
        if (Find(pod, "Ready") is not { Status: "True" } ready)
        {
            return false;
        }

        return minReadySeconds == 0
            || (ready.LastTransitionTime is { } since && KubeObjects.Utc(since).AddSeconds(minReadySeconds) < now);
    }

    /// <summary>A pod still counted by its controller: not finished and not being deleted (<c>FilterActivePods</c>).</summary>
    public static bool IsActive(V1Pod pod) =>
        pod.Status?.Phase is not ("Succeeded" or "Failed") && pod.Metadata.DeletionTimestamp is null;

    public static int RestartCount(V1Pod pod) => pod.Status?.ContainerStatuses?.Sum(status => status.RestartCount) ?? 0;
}
