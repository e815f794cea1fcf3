using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Core.Detection;

/// <summary>What a signal is about: one Deployment, one kind of failure, one revision (when known).</summary>
public sealed record SignalKey(string Namespace, string Target, SignalType Type, long? Revision)
{
    public override string ToString() =>
        $"{Namespace}/{Target} {Type}" + (Revision is { } revision ? $" (revision {revision})" : string.Empty);
}

/// <summary>Which decision path owns a signal.</summary>
public enum SignalPath
{
    /// <summary>On the new revision of a recent or ongoing rollout: the rollback path owns it.</summary>
    Rollout,

    /// <summary>
    /// On a revision that did not just change: not a rollout failure. Resource exhaustion and restart storms
    /// (the OOM path) own it.
    /// </summary>
    StableRevision,
}

/// <summary>A signal that met the policy's thresholds, with the evidence.</summary>
/// <param name="FirstSeen">When the thresholds were first met continuously (the hysteresis start).</param>
/// <param name="AffectedPods">Names of the pods showing it, sorted.</param>
/// <param name="TotalPods">Pods of the revision observed.</param>
public sealed record DetectedSignal(
    SignalKey Key,
    SignalPath Path,
    string Reason,
    string Message,
    Observations.ValueList<string> AffectedPods,
    int TotalPods,
    DateTimeOffset FirstSeen)
{
    /// <summary>The fingerprint, when the signal's source names it (metrics checks); otherwise it derives from the key.</summary>
    public string? Identity { get; init; }
}
