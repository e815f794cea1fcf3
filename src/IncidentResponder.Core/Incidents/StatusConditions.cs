using k8s.Models;

namespace IncidentResponder.Core.Incidents;

/// <summary>
/// metav1.Condition semantics for the Incident's own conditions: lastTransitionTime moves only when the status flips,
/// so re-applying is a no-op; reason and message follow the latest event. The same rule as the shell's
/// <c>IncidentResponder.Runtime.Status.Conditions</c> (which the pure core may not reference), minus two things kept on
/// purpose: times keep the event's precision (notification moments compare them with timeline entries) and there is
/// no observedGeneration (an Incident's conditions follow its events, not its spec).
/// </summary>
public static class StatusConditions
{
    /// <summary>The Resolved condition's reason while a reopened incident is open again; its time marks the new episode.</summary>
    public const string ReopenedReason = "Reopened";

    public static List<V1Condition> Set(List<V1Condition>? conditions, string type, bool status, string reason, string message, DateTimeOffset now)
    {
        var result = conditions ?? [];
        var value = status ? "True" : "False";
        var existing = result.Find(c => c.Type == type);
        if (existing is null)
        {
            result.Add(new V1Condition
            {
                Type = type, Status = value, Reason = reason, Message = message, LastTransitionTime = now.UtcDateTime,
            });
            return result;
        }

        if (existing.Status != value)
        {
            existing.LastTransitionTime = now.UtcDateTime;
        }

        existing.Status = value;
        existing.Reason = reason;
        existing.Message = message;
        return result;
    }

    public static V1Condition? Find(IEnumerable<V1Condition>? conditions, string type) =>
        conditions?.FirstOrDefault(c => c.Type == type);
}
