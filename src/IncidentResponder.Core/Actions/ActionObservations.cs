using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Observations;

namespace IncidentResponder.Core.Actions;

/// <summary>A HorizontalPodAutoscaler whose scaleTargetRef names the target Deployment (autoscaling/v2).</summary>
/// <param name="ScaleTargetName">spec.scaleTargetRef.name, checked against the target so a stray HPA is never changed.</param>
/// <param name="MinReplicas">spec.minReplicas (the API defaults it to 1).</param>
/// <param name="CurrentReplicas">status.currentReplicas.</param>
public sealed record HpaObservation(string Name, string ScaleTargetName, int MinReplicas, int MaxReplicas, int CurrentReplicas);

/// <summary>A feature flag's value as the shell read it from its provider (ConfigMap key, FeatureFlag defaultVariant).</summary>
/// <param name="Value">Null: the provider cannot be read (an HTTP endpoint) or the key is absent.</param>
public sealed record FlagObservation(string Flag, FeatureFlagProviderType Provider, string? Value);

/// <summary>What the new actions look at besides the Deployment: its HPA and the flags' current values.</summary>
public sealed record ActionObservations(HpaObservation? Hpa, ValueList<FlagObservation> Flags)
{
    public static ActionObservations None { get; } = new(null, ValueList<FlagObservation>.Empty);

    public FlagObservation? Flag(string flag, FeatureFlagProviderType provider) =>
        Flags.FirstOrDefault(f => f.Flag == flag && f.Provider == provider);
}
