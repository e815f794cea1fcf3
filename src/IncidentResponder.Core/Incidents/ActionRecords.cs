using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Core.Incidents;

/// <summary>Finding and changing the action record of one attempt of one step.</summary>
public static class ActionRecords
{
    /// <summary>Details key under which a running verification keeps the start of its healthy stretch (RFC 3339).</summary>
    public const string HealthySinceKey = "healthySince";

    /// <summary>Details key of a Pending action whose request may have been sent: when it was dispatched (RFC 3339).</summary>
    public const string DispatchedAtKey = "dispatchedAt";

    /// <summary>Details key of a rollback: the revision it moves the Deployment away from.</summary>
    public const string FromRevisionKey = "fromRevision";

    /// <summary>Details key of a rollback: the revision it returns the Deployment to.</summary>
    public const string ToRevisionKey = "toRevision";

    /// <summary>Details key of a rollback: the ReplicaSet whose template it restores.</summary>
    public const string ToReplicaSetKey = "toReplicaSet";

    /// <summary>A StatefulSet rollback that also deletes the pods left crash-looping on the reverted revision.</summary>
    public const string ForceRecreateStuckPodsKey = "forceRecreateStuckPods";

    /// <summary>The pods a forced recreate deleted, comma-separated.</summary>
    public const string RecreatedPodsKey = "recreatedPods";

    /// <summary>Details key of a dry run an open maintenance window held: the window's name. The step is decided again.</summary>
    public const string HeldByWindowKey = "maintenanceWindow";

    /// <summary>Details key of a held dry run: when the window that held it closes (RFC 3339).</summary>
    public const string HeldUntilKey = "heldUntil";

    /// <summary>A dry run a maintenance window held rather than one the policy's mode asked for.</summary>
    public static bool HeldByWindow(ActionRecord action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return action.Phase == ActionPhase.DryRun && action.Details?.ContainsKey(HeldByWindowKey) == true;
    }

    public static ActionRecord? Find(IncidentStatus status, string step, int attempt)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status.Actions?.FindLast(a => a.Step == step && (a.Attempt ?? 1) == attempt);
    }

    /// <summary>The action whose intent is written but whose outcome is not: at most one at a time.</summary>
    public static ActionRecord? InFlight(IncidentStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status.Actions?.FindLast(a => a.Phase is ActionPhase.Pending or ActionPhase.Running);
    }

    /// <summary>
    /// Actions of the current episode: after a reopen or a person's hand-back, only those recorded since, so the
    /// runbook starts over (steps it had exhausted run again) while guardrails still see the whole history.
    /// </summary>
    public static IReadOnlyList<ActionRecord> CurrentEpisode(IncidentStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var actions = status.Actions ?? [];
        var reopened = StatusConditions.Find(status.Conditions, Conditions.Resolved) is { Status: "False", Reason: StatusConditions.ReopenedReason } condition
            ? (DateTime?)condition.LastTransitionTime
            : null;
        // The Escalated condition's flip to False is the operator's own time of the hand-back (spec.handback.at is the person's clock).
        var handedBack = StatusConditions.Find(status.Conditions, Conditions.Escalated) is { Status: "False", Reason: HandedBackReason } escalated
            ? (DateTime?)escalated.LastTransitionTime
            : null;
        var since = reopened is null ? handedBack : handedBack is null ? reopened : reopened > handedBack ? reopened : handedBack;
        return since is { } start ? [.. actions.Where(a => a.StartedAt >= start)] : actions;
    }

    /// <summary>The Escalated condition's reason once a person handed the incident back to automation.</summary>
    public const string HandedBackReason = "HandedBack";

    public static ActionRecord New(string step, ActionType type, int attempt, ActionPhase phase, string message, DateTimeOffset now,
        IReadOnlyDictionary<string, string>? details = null) => new()
    {
        Step = step,
        Type = type,
        Phase = phase,
        Attempt = attempt,
        StartedAt = now.UtcDateTime,
        FinishedAt = phase is ActionPhase.Pending or ActionPhase.Running or ActionPhase.AwaitingApproval ? null : now.UtcDateTime,
        Message = Truncate(message),
        Details = details is null ? null : new Dictionary<string, string>(details, StringComparer.Ordinal),
    };

    /// <summary>Adds or overwrites detail entries, keeping the ones already there.</summary>
    public static void Merge(ActionRecord action, IReadOnlyDictionary<string, string>? details)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (details is null)
        {
            return;
        }

        action.Details ??= new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in details)
        {
            action.Details[key] = value;
        }
    }

    /// <summary>The API limits messages to 1024 characters.</summary>
    public static string Truncate(string message, int max = 1024)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Length <= max ? message : message[..(max - 1)] + "…";
    }
}
