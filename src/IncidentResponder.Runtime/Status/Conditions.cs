using k8s.Models;

namespace IncidentResponder.Runtime.Status;

/// <summary>
/// metav1.Condition helpers with apimachinery's SetStatusCondition rules: lastTransitionTime changes only when the
/// status flips, while reason, message and observedGeneration always follow the latest observation. The shell's
/// helper for spec-driven status (Runbook, RemediationPolicy); the core keeps the Incident's conditions with the same
/// transition rule in <c>IncidentResponder.Core.Incidents.StatusConditions</c>.
/// </summary>
public static class Conditions
{
    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";

    /// <summary>Adds or updates the condition of that type. Returns true when anything changed.</summary>
    public static bool Set(IList<V1Condition> conditions, string type, string status, string reason, string message, long? observedGeneration, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        if (status is not (True or False or Unknown))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "Condition status must be True, False or Unknown.");
        }

        var existing = Find(conditions, type);
        if (existing is null)
        {
            conditions.Add(new V1Condition
            {
                Type = type,
                Status = status,
                Reason = reason,
                Message = message,
                ObservedGeneration = observedGeneration,
                LastTransitionTime = Truncate(now),
            });
            return true;
        }

        var changed = false;
        if (existing.Status != status)
        {
            existing.Status = status;
            existing.LastTransitionTime = Truncate(now);
            changed = true;
        }

        if (existing.Reason != reason)
        {
            existing.Reason = reason;
            changed = true;
        }

        if (existing.Message != message)
        {
            existing.Message = message;
            changed = true;
        }

        if (existing.ObservedGeneration != observedGeneration)
        {
            existing.ObservedGeneration = observedGeneration;
            changed = true;
        }

        return changed;
    }

    public static V1Condition? Find(IEnumerable<V1Condition>? conditions, string type) =>
        conditions?.FirstOrDefault(c => c.Type == type);

    public static bool IsTrue(IEnumerable<V1Condition>? conditions, string type) => Find(conditions, type)?.Status == True;

    public static bool IsFalse(IEnumerable<V1Condition>? conditions, string type) => Find(conditions, type)?.Status == False;

    /// <summary>Removes the condition of that type. Returns true when one was removed.</summary>
    public static bool Remove(IList<V1Condition> conditions, string type)
    {
        var existing = Find(conditions, type);
        return existing is not null && conditions.Remove(existing);
    }

    /// <summary>The API stores lastTransitionTime with second precision; truncating keeps a re-read object equal to ours.</summary>
    private static DateTime Truncate(DateTimeOffset now) =>
        new(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}
