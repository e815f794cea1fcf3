namespace IncidentResponder.Operator.Controllers;

/// <summary>
/// Operator-wide settings that the v1alpha1 policy does not carry, applied to every policy by
/// <see cref="PolicyResolver.Effective"/>, so detection, incidents and notifications see one effective policy.
/// </summary>
public sealed record PolicyOverrides
{
    /// <summary>How long a running pod may stay unready before it counts as ReadinessFailing; null keeps the core's default (30 s).</summary>
    public TimeSpan? ReadinessGrace { get; init; }

    /// <summary>
    /// How long a resolved incident must stay resolved before its scale-back; null keeps the core's default (10 min).
    /// Scenarios shorten it to see a scale-back in seconds.
    /// </summary>
    public TimeSpan? ScaleBackAfter { get; init; }
}
