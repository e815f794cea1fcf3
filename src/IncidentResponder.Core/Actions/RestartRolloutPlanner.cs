using System.Globalization;
using IncidentResponder.Core.Observations;

namespace IncidentResponder.Core.Actions;

/// <summary>
/// kubectl rollout restart, decided: the restartedAt annotation with the decision's time (RFC 3339, as kubectl writes
/// it). The time is fixed at the intent, so re-applying after a crash writes the same value and restarts nothing twice.
/// A paused Deployment is refused by the shared guardrails before this runs.
/// </summary>
public static class RestartRolloutPlanner
{
    public static ActionPlan Plan(DeploymentObservation deployment, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var change = new ActionChange.RestartRollout(deployment.Name, Rfc3339(now));
        return new ActionPlan.Apply(change, change.Describe());
    }

    public static string Rfc3339(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
