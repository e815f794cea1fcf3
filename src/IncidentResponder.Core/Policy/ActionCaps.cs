using IncidentResponder.Core.Quantities;

namespace IncidentResponder.Core.Policy;

/// <summary>
/// The per-action caps of a RemediationPolicy, with defaults filled in. The caps bound what one action may
/// change; the shared guardrails (cooldown, budgets, breaker, mode) bound how often anything changes.
/// </summary>
/// <param name="MaxReplicas">Scale never goes above this; null: the policy sets none (see <see cref="DefaultReplicaFactor"/>).</param>
/// <param name="MaxMemory">RaiseMemoryLimit never goes above this limit; null: only the factor cap applies.</param>
/// <param name="MaxMemoryFactor">RaiseMemoryLimit never goes above this multiple of the limit before the incident's first raise.</param>
/// <param name="AllowedFlags">FeatureFlag may flip only these; empty: none.</param>
/// <param name="MemoryRaiseWindow">
/// A target's memory is raised at most once per this window, across incidents. Not in the v1alpha1 API: the field
/// failure to prevent is a loop of raises, and a day is long enough to see whether one raise held.
/// </param>
/// <param name="ScaleBackAfter">How long a resolved incident must stay resolved before a scale-back (not in the API).</param>
/// <param name="FlagRevertAfter">How long a resolved incident must stay resolved before a flag flips back (not in the API).</param>
public sealed record ActionCaps(
    int? MaxReplicas,
    MemoryQuantity? MaxMemory,
    double MaxMemoryFactor,
    IReadOnlySet<string> AllowedFlags,
    TimeSpan MemoryRaiseWindow,
    TimeSpan ScaleBackAfter,
    TimeSpan FlagRevertAfter)
{
    /// <summary>Without a maxReplicas, a Scale never more than doubles the replicas it found: safe by default.</summary>
    public const double DefaultReplicaFactor = 2.0;

    public static readonly TimeSpan DefaultMemoryRaiseWindow = TimeSpan.FromHours(24);
    public static readonly TimeSpan DefaultScaleBackAfter = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan DefaultFlagRevertAfter = TimeSpan.Zero;

    public static ActionCaps Default { get; } = From(null);

    public static ActionCaps From(Api.V1Alpha1.Guardrails? guardrails) => new(
        guardrails?.MaxReplicas,
        guardrails?.MaxMemory is { } max ? MemoryQuantity.Parse(max) : null,
        guardrails?.MaxMemoryFactor ?? 2.0,
        new HashSet<string>(guardrails?.AllowedFlags ?? [], StringComparer.Ordinal),
        DefaultMemoryRaiseWindow,
        DefaultScaleBackAfter,
        DefaultFlagRevertAfter)
    {
        AllowStatefulScaleWithVolumes = guardrails?.AllowStatefulScaleWithVolumes ?? false,
    };

    /// <summary>The replica cap for a workload that runs <paramref name="originalReplicas"/> before the incident's first scale.</summary>
    public int ReplicaCap(int originalReplicas) =>
        MaxReplicas ?? (int)Math.Ceiling(Math.Max(1, originalReplicas) * DefaultReplicaFactor);

    /// <summary>Scale may add replicas to a StatefulSet with volumeClaimTemplates (each new replica keeps a new claim).</summary>
    public bool AllowStatefulScaleWithVolumes { get; init; }

    public bool FlagAllowed(string flag) => AllowedFlags.Contains(flag);
}
