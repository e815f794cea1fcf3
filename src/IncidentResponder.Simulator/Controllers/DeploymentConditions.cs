using k8s.Models;

namespace IncidentResponder.Simulator.Controllers;

/// <summary>Deployment condition types, reasons and the update rule of <c>SetDeploymentCondition</c>.</summary>
public static class DeploymentConditions
{
    public const string Available = "Available";
    public const string Progressing = "Progressing";
    public const string ReplicaFailure = "ReplicaFailure";

    public const string NewReplicaSetCreatedReason = "NewReplicaSetCreated";
    public const string FoundNewReplicaSetReason = "FoundNewReplicaSet";
    public const string ReplicaSetUpdatedReason = "ReplicaSetUpdated";
    public const string NewReplicaSetAvailableReason = "NewReplicaSetAvailable";
    public const string TimedOutReason = "ProgressDeadlineExceeded";
    public const string PausedReason = "DeploymentPaused";
    public const string ResumedReason = "DeploymentResumed";
    public const string MinimumReplicasAvailableReason = "MinimumReplicasAvailable";
    public const string MinimumReplicasUnavailableReason = "MinimumReplicasUnavailable";

    public static V1DeploymentCondition? Find(V1DeploymentStatus status, string type) =>
        status.Conditions?.FirstOrDefault(condition => condition.Type == type);

    public static V1DeploymentCondition New(string type, string status, string reason, string message, DateTimeOffset now) => new()
    {
        Type = type,
        Status = status,
        Reason = reason,
        Message = message,
        LastUpdateTime = KubeObjects.Seconds(now),
        LastTransitionTime = KubeObjects.Seconds(now),
    };

    /// <summary>
    /// Sets a condition: nothing changes when status and reason are the same; when only the reason changes, the
    /// lastTransitionTime of the old condition is kept.
    /// </summary>
    public static void Set(V1DeploymentStatus status, V1DeploymentCondition condition)
    {
        var current = Find(status, condition.Type);
        if (current is not null && current.Status == condition.Status && current.Reason == condition.Reason)
        {
            return;
        }

        if (current is not null && current.Status == condition.Status)
        {
            condition.LastTransitionTime = current.LastTransitionTime;
        }

        Remove(status, condition.Type);
        (status.Conditions ??= new List<V1DeploymentCondition>()).Add(condition);
    }

    public static void Remove(V1DeploymentStatus status, string type)
    {
        if (status.Conditions is { } conditions)
        {
            status.Conditions = conditions.Where(condition => condition.Type != type).ToList();
        }
    }
}
