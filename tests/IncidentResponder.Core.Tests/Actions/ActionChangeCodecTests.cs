using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using IncidentResponder.Core.Quantities;

namespace IncidentResponder.Core.Tests.Actions;

public sealed class ActionChangeCodecTests
{
    private static readonly FeatureFlagAction Flag = new() { Flag = "payment_service", Value = "false", Provider = FeatureFlagProviderType.Http, Http = new HttpFlagProvider { Url = "https://admin.internal/feature-flags" } };

    public static TheoryData<ActionChange> Changes => new((ActionChange[])[
        new ActionChange.ScaleDeployment("web", 4, 6, 4, true),
        new ActionChange.ScaleHpa("web-hpa", 2, 6, 8, 8, 2, 8, false),
        new ActionChange.SetMemoryLimit("web", "app", MemoryQuantity.Parse("256Mi"), MemoryQuantity.Parse("384Mi"), MemoryQuantity.Parse("128Mi"),
            MemoryQuantity.Parse("128Mi"), MemoryQuantity.Parse("256Mi"), MemoryQuantity.Parse("512Mi")),
        new ActionChange.SetMemoryLimit("web", "app", MemoryQuantity.Parse("200M"), MemoryQuantity.Parse("300M"), null, null, MemoryQuantity.Parse("200M"),
            MemoryQuantity.Parse("400M")),
        new ActionChange.SetMemoryLimit("report", "job", MemoryQuantity.Parse("128Mi"), MemoryQuantity.Parse("192Mi"), null, null, MemoryQuantity.Parse("128Mi"),
            MemoryQuantity.Parse("256Mi"), "CronJob", RevertOnResolve: true),
        new ActionChange.FlipFlag(Flag, "payment_service", FeatureFlagProviderType.Http, null, "false", "true", true),
        new ActionChange.RestartRollout("web", "2026-01-01T12:00:00Z")]);

    [Theory]
    [MemberData(nameof(Changes))]
    public void Every_change_reads_back_from_its_details_exactly(ActionChange change)
    {
        Assert.Equal(change, ActionChangeCodec.Read(change.ToDetails(), new RunbookAction { FeatureFlag = Flag }));
    }

    [Fact]
    public void Details_hold_the_original_values_for_the_record()
    {
        var details = new ActionChange.ScaleDeployment("web", 4, 6, 3, true).ToDetails();
        Assert.Equal(("ScaleDeployment", "4", "6", "3", "true"),
            (details["change"], details["fromReplicas"], details["toReplicas"], details["originalReplicas"], details["scaleBack"]));
    }

    [Fact]
    public void No_or_broken_details_read_as_no_change()
    {
        Assert.Null(ActionChangeCodec.Read(null, null));
        Assert.Null(ActionChangeCodec.Read(new Dictionary<string, string> { ["toRevision"] = "2" }, null));
        Assert.Null(ActionChangeCodec.Read(new Dictionary<string, string> { ["change"] = "ScaleDeployment", ["deployment"] = "web", ["toReplicas"] = "x" }, null));
        Assert.Null(ActionChangeCodec.Read(new Dictionary<string, string> { ["change"] = "SetMemoryLimit", ["deployment"] = "web", ["container"] = "app" }, null));
        Assert.Null(ActionChangeCodec.Read(new ActionChange.FlipFlag(Flag, "f", FeatureFlagProviderType.Http, null, "false", null, false).ToDetails(), null));
        Assert.Null(ActionChangeCodec.Read(new Dictionary<string, string> { ["change"] = "Teleport" }, null));
    }
}
