using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Time;

namespace IncidentResponder.Core.Policy;

/// <summary>
/// A RemediationPolicy with every default filled in and every duration parsed, so the rules below never deal with
/// nulls or strings. Defaults are the API's documented defaults ([DefaultValue] on the spec).
/// </summary>
public sealed record EffectivePolicy(
    string Name,
    string Namespace,
    DetectionThresholds Detection,
    GuardrailLimits Limits,
    ModeTable Modes,
    bool Paused,
    IReadOnlyDictionary<SignalType, Severity> SeverityOverrides,
    ActionCaps? Caps = null,
    MaintenanceWindows? Windows = null)
{
    /// <summary>The per-action caps (max replicas, max memory, allowed flags); defaults when the policy sets none.</summary>
    public ActionCaps ActionCaps => Caps ?? ActionCaps.Default;

    /// <summary>The policy's maintenance windows that could be read; none when it declares none.</summary>
    public MaintenanceWindows Maintenance => Windows ?? MaintenanceWindows.None;

    public static EffectivePolicy From(RemediationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var spec = policy.Spec;
        var overrides = spec.Signals
            .Where(route => route.Severity is not null)
            .ToDictionary(route => route.Signal, route => route.Severity!.Value);
        return new EffectivePolicy(
            policy.Metadata.Name ?? string.Empty,
            policy.Metadata.NamespaceProperty ?? string.Empty,
            DetectionThresholds.From(spec.Detection),
            GuardrailLimits.From(spec.Guardrails),
            ModeTable.From(spec.Modes),
            spec.Paused ?? false,
            overrides,
            ActionCaps.From(spec.Guardrails),
            MaintenanceWindows.From(spec.MaintenanceWindows));
    }
}

/// <summary>When a signal becomes an incident.</summary>
/// <param name="ReadinessGrace">
/// How long a running pod may stay unready before it counts as ReadinessFailing. Not in the v1alpha1 API (slow
/// starters would otherwise count from their first second); the default covers typical initial delays.
/// </param>
public sealed record DetectionThresholds(
    int MinAffectedPods,
    int MinAffectedPercent,
    TimeSpan HoldFor,
    TimeSpan ReopenWindow,
    TimeSpan RecentRolloutWindow,
    TimeSpan LastKnownGoodSoak,
    TimeSpan ReadinessGrace)
{
    public static readonly TimeSpan DefaultReadinessGrace = TimeSpan.FromSeconds(30);

    public static DetectionThresholds Default { get; } = From(null);

    public static DetectionThresholds From(DetectionSettings? settings) => new(
        settings?.MinAffectedPods ?? 1,
        settings?.MinAffectedPercent ?? 50,
        GoDuration.ParseOrDefault(settings?.HoldFor, TimeSpan.FromSeconds(20)),
        GoDuration.ParseOrDefault(settings?.ReopenWindow, TimeSpan.FromMinutes(15)),
        GoDuration.ParseOrDefault(settings?.RecentRolloutWindow, TimeSpan.FromMinutes(10)),
        GoDuration.ParseOrDefault(settings?.LastKnownGoodSoak, TimeSpan.FromMinutes(5)),
        DefaultReadinessGrace);
}

/// <summary>A count of actions per sliding window.</summary>
public sealed record Budget(int Count, TimeSpan Window);

/// <summary>The limits every action must pass.</summary>
public sealed record GuardrailLimits(
    TimeSpan CooldownPerTarget,
    Budget? MaxActionsPerTarget,
    Budget? MaxActionsPerNamespace,
    int MaxConcurrentIncidents,
    int CircuitBreakerThreshold)
{
    public static GuardrailLimits Default { get; } = From(null);

    public static GuardrailLimits From(Api.V1Alpha1.Guardrails? guardrails) => new(
        GoDuration.ParseOrDefault(guardrails?.CooldownPerTarget, TimeSpan.FromMinutes(10)),
        ToBudget(guardrails?.MaxActionsPerTarget),
        ToBudget(guardrails?.MaxActionsPerNamespace),
        guardrails?.MaxConcurrentIncidents ?? 3,
        guardrails?.CircuitBreakerThreshold ?? 2);

    private static Budget? ToBudget(ActionBudget? budget) =>
        budget is null ? null : new Budget(budget.Count, GoDuration.Parse(budget.Window));
}

/// <summary>The mode per severity; DryRun when nothing is said, so a new policy changes nothing until told to.</summary>
public sealed record ModeTable(
    RemediationMode Default,
    RemediationMode? Sev1 = null,
    RemediationMode? Sev2 = null,
    RemediationMode? Sev3 = null,
    RemediationMode? Sev4 = null)
{
    public static ModeTable From(ModeBySeverity? modes) => new(
        modes?.Default ?? RemediationMode.DryRun, modes?.Sev1, modes?.Sev2, modes?.Sev3, modes?.Sev4);

    public RemediationMode For(Severity severity) => (severity switch
    {
        Severity.Sev1 => Sev1,
        Severity.Sev2 => Sev2,
        Severity.Sev3 => Sev3,
        _ => Sev4,
    }) ?? Default;
}
