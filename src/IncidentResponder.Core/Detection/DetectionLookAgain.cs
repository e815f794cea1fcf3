using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Time;

namespace IncidentResponder.Core.Detection;

/// <summary>
/// When detection must look at a Deployment again: exactly when the first pending hold expires; and on the poll while
/// the Deployment is unsettled (rolling out or not fully available), because readiness grace and OOM recency change
/// the verdict without any API event. A settled Deployment with nothing pending waits for events.
/// </summary>
public static class DetectionLookAgain
{
    public static NextLook After(DetectionResult detection, DeploymentObservation deployment, EffectivePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(detection);
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(policy);
        DateTimeOffset? holdExpires = detection.Pending.Count == 0 ? null : detection.Pending.Min(p => p.FirstSeen + policy.Detection.HoldFor);
        var settled = deployment.FullyAvailable && !RolloutRecency.IsMidRollout(deployment);
        return new NextLook(holdExpires, Poll: !settled);
    }
}
