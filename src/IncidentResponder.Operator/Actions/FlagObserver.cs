using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using IncidentResponder.Core.Observations;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Client;
using k8s;

namespace IncidentResponder.Operator.Actions;

/// <summary>
/// Reads the current value of every flag the runbook's FeatureFlag steps name, from providers that can be read
/// (a ConfigMap key, an OpenFeature FeatureFlag's defaultVariant), so the planner records the value to restore and a flip-back can tell whether somebody else
/// changed the flag since. Read live: only incidents whose runbook flips flags pay for it.
/// </summary>
public sealed class FlagObserver(IKubernetes client, OpenFeatureFlag openFeature)
{
    public async Task<ValueList<FlagObservation>> ObserveAsync(RunbookSpec runbook, string ns, CancellationToken cancellationToken)
    {
        var flags = new List<FlagObservation>();
        foreach (var settings in runbook.Steps.Select(s => s.Action.FeatureFlag).OfType<FeatureFlagAction>())
        {
            if (settings is { Provider: FeatureFlagProviderType.ConfigMap, ConfigMap: { } source })
            {
                var configMap = await ApiReads.GetOrNullAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync(source.Name, ns, cancellationToken: cancellationToken));
                flags.Add(new FlagObservation(settings.Flag, settings.Provider, Projections.Value(configMap?.Data, ConfigMapFlag.KeyOf(settings))));
            }
            else if (settings is { Provider: FeatureFlagProviderType.OpenFeature, OpenFeature: { } resource })
            {
                var featureFlag = await openFeature.ReadAsync(ns, resource.Name, cancellationToken);
                flags.Add(new FlagObservation(settings.Flag, settings.Provider, OpenFeatureFlag.DefaultVariant(featureFlag, settings.Flag)));
            }
        }

        return new ValueList<FlagObservation>(flags);
    }
}
