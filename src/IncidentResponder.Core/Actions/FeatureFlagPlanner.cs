using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Policy;

namespace IncidentResponder.Core.Actions;

/// <summary>
/// The playbook's "disable the feature" (curl -X POST .../feature-flags -d '{"payment_service": false}'), decided: only a
/// flag the policy allows, only when it is not already so, with the value to restore recorded.
/// </summary>
public static class FeatureFlagPlanner
{
    public static ActionPlan Plan(FeatureFlagAction? settings, FlagObservation? observed, ActionCaps caps)
    {
        ArgumentNullException.ThrowIfNull(caps);
        if (settings is null)
        {
            return new ActionPlan.Skip("the FeatureFlag step has no 'featureFlag' block naming the flag and its provider");
        }

        if (!caps.FlagAllowed(settings.Flag))
        {
            var allowed = caps.AllowedFlags.Count == 0 ? "it allows none" : "it allows " + string.Join(", ", caps.AllowedFlags.Order(StringComparer.Ordinal));
            return new ActionPlan.Refuse("allowed-flags", $"refused by allowed-flags: flag {settings.Flag} is not in the policy's allowedFlags ({allowed})");
        }

        var before = observed?.Value;
        if (before == settings.Value)
        {
            return new ActionPlan.Skip($"flag {settings.Flag} ({settings.Provider}) is already {settings.Value}");
        }

        var change = new ActionChange.FlipFlag(settings, settings.Flag, settings.Provider, before, settings.Value,
            before ?? Opposite(settings.Value), settings.RevertOnResolve ?? false);
        return new ActionPlan.Apply(change, change.Describe());
    }

    /// <summary>An unreadable boolean flag has one other value; anything else has no known value to restore.</summary>
    private static string? Opposite(string value) => value switch
    {
        "true" => "false",
        "false" => "true",
        _ => null,
    };
}
