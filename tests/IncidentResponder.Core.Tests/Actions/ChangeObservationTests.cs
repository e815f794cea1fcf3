using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Quantities;
using IncidentResponder.Core.Tests.Fixtures;

namespace IncidentResponder.Core.Tests.Actions;

public sealed class ChangeObservationTests
{
    private static readonly FeatureFlagAction Flag = new() { Flag = "f", Value = "false", Provider = FeatureFlagProviderType.OpenFeature };

    [Fact]
    public void Each_change_is_found_by_the_value_it_sets()
    {
        var web = Exhausted.Web("384Mi", replicas: 6);
        var hpa = new ActionObservations(new HpaObservation("web", "web", 6, 8, 6), ValueList.Of(new FlagObservation("f", FeatureFlagProviderType.OpenFeature, "false")));
        Assert.True(ChangeObservation.IsApplied(new ActionChange.ScaleDeployment("web", 4, 6, 4, false), web, null));
        Assert.False(ChangeObservation.IsApplied(new ActionChange.ScaleDeployment("web", 4, 8, 4, false), web, null));
        Assert.True(ChangeObservation.IsApplied(new ActionChange.ScaleHpa("web", 2, 6, 8, 8, 2, 8, false), web, hpa));
        Assert.False(ChangeObservation.IsApplied(new ActionChange.ScaleHpa("web", 2, 6, 8, 8, 2, 8, false), web, null));
        var memory = new ActionChange.SetMemoryLimit("web", "app", MemoryQuantity.Parse("256Mi"), MemoryQuantity.Parse("0.375Gi"), null, null,
            MemoryQuantity.Parse("256Mi"), MemoryQuantity.Parse("512Mi"));
        Assert.True(ChangeObservation.IsApplied(memory, web, null)); // 0.375Gi is 384Mi: compared by bytes
        Assert.True(ChangeObservation.IsApplied(new ActionChange.FlipFlag(Flag, "f", FeatureFlagProviderType.OpenFeature, "true", "false", "true", false), web, hpa));
        Assert.False(ChangeObservation.IsApplied(new ActionChange.FlipFlag(Flag, "f", FeatureFlagProviderType.OpenFeature, "true", "false", "true", false), web, null));
        Assert.False(ChangeObservation.IsApplied(new ActionChange.RestartRollout("web", "2026-01-01T12:00:00Z"), web, hpa));
    }
}
