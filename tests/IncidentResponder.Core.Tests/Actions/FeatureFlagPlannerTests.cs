using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using IncidentResponder.Core.Policy;

namespace IncidentResponder.Core.Tests.Actions;

public sealed class FeatureFlagPlannerTests
{
    private static readonly ActionCaps Allowed = ActionCaps.Default with { AllowedFlags = new HashSet<string> { "payment_service" } };

    private static FeatureFlagAction Flag(string flag = "payment_service", string value = "false", bool revert = true) => new()
    {
        Flag = flag, Value = value, Provider = FeatureFlagProviderType.ConfigMap,
        ConfigMap = new ConfigMapFlagProvider { Name = "feature-flags" }, RevertOnResolve = revert,
    };

    [Fact]
    public void Flips_an_allowed_flag_recording_the_value_it_found()
    {
        var settings = Flag();
        var change = Assert.IsType<ActionChange.FlipFlag>(Assert.IsType<ActionPlan.Apply>(FeatureFlagPlanner.Plan(settings,
            new FlagObservation("payment_service", FeatureFlagProviderType.ConfigMap, "true"), Allowed)).Change);
        Assert.Equal(("payment_service", FeatureFlagProviderType.ConfigMap, "true", "false", "true", true),
            (change.Flag, change.Provider, change.FromValue, change.ToValue, change.RevertTo, change.RevertOnResolve));
        Assert.Same(settings, change.Settings);
        Assert.Equal("set feature flag payment_service (ConfigMap) to false (was true)", change.Describe());
    }

    [Fact]
    public void Refuses_a_flag_the_policy_does_not_allow()
    {
        var refuse = Assert.IsType<ActionPlan.Refuse>(FeatureFlagPlanner.Plan(Flag("checkout_v2"), null, Allowed));
        Assert.Equal(("allowed-flags", "refused by allowed-flags: flag checkout_v2 is not in the policy's allowedFlags (it allows payment_service)"),
            (refuse.Rule, refuse.Reason));
        Assert.Contains("it allows none", FeatureFlagPlanner.Plan(Flag(), null, ActionCaps.Default).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Skips_a_flag_already_at_the_value()
    {
        Assert.IsType<ActionPlan.Skip>(FeatureFlagPlanner.Plan(Flag(), new FlagObservation("payment_service", FeatureFlagProviderType.ConfigMap, "false"), Allowed));
        Assert.IsType<ActionPlan.Skip>(FeatureFlagPlanner.Plan(null, null, Allowed));
    }

    [Theory]
    [InlineData("false", "true")]
    [InlineData("true", "false")]
    [InlineData("off", null)]
    public void An_unreadable_flag_restores_the_opposite_boolean_or_nothing(string value, string? restore)
    {
        var change = Assert.IsType<ActionChange.FlipFlag>(Assert.IsType<ActionPlan.Apply>(FeatureFlagPlanner.Plan(Flag(value: value), null, Allowed)).Change);
        Assert.Equal((null, restore), (change.FromValue, change.RevertTo));
    }
}
