using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using IncidentResponder.Core.Policy;
using static IncidentResponder.Core.Tests.Fixtures.Cluster;

namespace IncidentResponder.Core.Tests.Actions;

public sealed class ScalePlannerTests
{
    private static readonly ActionCaps Cap10 = ActionCaps.Default with { MaxReplicas = 10 };

    private static ActionChange.ScaleDeployment Applied(ActionPlan plan) =>
        Assert.IsType<ActionChange.ScaleDeployment>(Assert.IsType<ActionPlan.Apply>(plan).Change);

    [Theory]
    [InlineData(4, null, 1.5, 6)]
    [InlineData(3, null, 1.5, 5)] // 4.5 rounds up
    [InlineData(4, 2, null, 6)]
    [InlineData(1, null, 1.1, 2)]
    public void Scales_by_a_delta_or_a_factor_rounded_up(int replicas, int? delta, double? factor, int expected)
    {
        var change = Applied(ScalePlanner.Plan(new ScaleAction { Delta = delta, Factor = factor }, Deployment(desired: replicas), null, Cap10));
        Assert.Equal((Name, replicas, expected, replicas), (change.Deployment, change.FromReplicas, change.ToReplicas, change.OriginalReplicas));
    }

    [Fact]
    public void Is_capped_by_max_replicas_and_says_so()
    {
        var plan = Assert.IsType<ActionPlan.Apply>(ScalePlanner.Plan(new ScaleAction { Factor = 3 }, Deployment(desired: 4), null, Cap10));
        Assert.Equal(10, ((ActionChange.ScaleDeployment)plan.Change).ToReplicas);
        Assert.Contains("capped from 12 by max-replicas 10", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void At_the_cap_it_refuses_with_the_reason()
    {
        var refuse = Assert.IsType<ActionPlan.Refuse>(ScalePlanner.Plan(new ScaleAction { Delta = 1 }, Deployment(desired: 10), null, Cap10));
        Assert.Equal("max-replicas", refuse.Rule);
        Assert.Contains("already runs 10 replicas and the cap is 10 (policy maxReplicas 10)", refuse.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_max_replicas_it_never_more_than_doubles_the_original()
    {
        Assert.Equal(8, Applied(ScalePlanner.Plan(new ScaleAction { Factor = 3 }, Deployment(desired: 4), null, ActionCaps.Default)).ToReplicas);

        // A second scale in the same incident is capped by the original, so scales cannot compound.
        var again = ScalePlanner.Plan(new ScaleAction { Factor = 3 }, Deployment(desired: 8), null, ActionCaps.Default, originalReplicas: 4);
        Assert.Contains("at most 2× the original 4", Assert.IsType<ActionPlan.Refuse>(again).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Records_scale_back_and_the_original()
    {
        var change = Applied(ScalePlanner.Plan(new ScaleAction { Delta = 2, ScaleBackOnResolve = true }, Deployment(desired: 6), null, Cap10, originalReplicas: 4));
        Assert.Equal((6, 8, 4, true), (change.FromReplicas, change.ToReplicas, change.OriginalReplicas, change.ScaleBack));
    }

    [Fact]
    public void Skips_without_settings_or_from_zero_by_a_factor()
    {
        Assert.IsType<ActionPlan.Skip>(ScalePlanner.Plan(null, Deployment(), null, Cap10));
        Assert.IsType<ActionPlan.Skip>(ScalePlanner.Plan(new ScaleAction(), Deployment(), null, Cap10));
        Assert.Contains("runs 0 replicas", ScalePlanner.Plan(new ScaleAction { Factor = 2 }, Deployment(desired: 0, ready: 0, available: 0), null, Cap10).Reason,
            StringComparison.Ordinal);
        Assert.Equal(2, Applied(ScalePlanner.Plan(new ScaleAction { Delta = 2 }, Deployment(desired: 0, ready: 0, available: 0), null, Cap10)).ToReplicas);
    }

    [Fact]
    public void With_an_hpa_it_raises_min_replicas_and_leaves_the_deployment_alone()
    {
        var hpa = new HpaObservation("web-hpa", Name, MinReplicas: 2, MaxReplicas: 8, CurrentReplicas: 4);
        var plan = Assert.IsType<ActionPlan.Apply>(ScalePlanner.Plan(new ScaleAction { Factor = 1.5, ScaleBackOnResolve = true }, Deployment(desired: 4), hpa, Cap10));
        var change = Assert.IsType<ActionChange.ScaleHpa>(plan.Change);
        Assert.Equal(("web-hpa", 2, 6, 8, 8, 2, 8, true),
            (change.Hpa, change.FromMinReplicas, change.ToMinReplicas, change.FromMaxReplicas, change.ToMaxReplicas, change.OriginalMinReplicas, change.OriginalMaxReplicas, change.ScaleBack));
        Assert.Contains("replicas stay untouched", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void With_an_hpa_max_replicas_rises_only_as_far_as_min_needs_and_the_cap_allows()
    {
        var hpa = new HpaObservation("web-hpa", Name, MinReplicas: 2, MaxReplicas: 4, CurrentReplicas: 4);
        var change = Assert.IsType<ActionChange.ScaleHpa>(Assert.IsType<ActionPlan.Apply>(
            ScalePlanner.Plan(new ScaleAction { Factor = 4 }, Deployment(desired: 4), hpa, Cap10)).Change);
        Assert.Equal((10, 10), (change.ToMinReplicas, change.ToMaxReplicas));
    }

    [Fact]
    public void With_an_hpa_an_hpa_max_above_the_cap_is_not_lowered()
    {
        var hpa = new HpaObservation("web-hpa", Name, MinReplicas: 2, MaxReplicas: 50, CurrentReplicas: 3);
        var change = Assert.IsType<ActionChange.ScaleHpa>(Assert.IsType<ActionPlan.Apply>(
            ScalePlanner.Plan(new ScaleAction { Delta = 2 }, Deployment(desired: 3), hpa, Cap10)).Change);
        Assert.Equal((5, 50, 50), (change.ToMinReplicas, change.FromMaxReplicas, change.ToMaxReplicas));
    }

    [Fact]
    public void With_an_hpa_at_the_cap_it_refuses()
    {
        var hpa = new HpaObservation("web-hpa", Name, MinReplicas: 10, MaxReplicas: 20, CurrentReplicas: 10);
        Assert.Equal("max-replicas", Assert.IsType<ActionPlan.Refuse>(ScalePlanner.Plan(new ScaleAction { Delta = 1 }, Deployment(desired: 10), hpa, Cap10)).Rule);
    }

    [Fact]
    public void An_hpa_of_another_deployment_is_never_changed()
    {
        var hpa = new HpaObservation("api-hpa", "api", MinReplicas: 2, MaxReplicas: 8, CurrentReplicas: 2);
        Assert.Equal("hpa-target", Assert.IsType<ActionPlan.Refuse>(ScalePlanner.Plan(new ScaleAction { Delta = 1 }, Deployment(), hpa, Cap10)).Rule);
    }
}
