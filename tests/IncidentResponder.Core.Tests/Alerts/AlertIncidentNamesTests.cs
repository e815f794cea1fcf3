using System.Text.RegularExpressions;
using IncidentResponder.Core.Alerts;

namespace IncidentResponder.Core.Tests.Alerts;

public sealed partial class AlertIncidentNamesTests
{
    [Theory]
    [InlineData("{}:{alertname=\"HighErrorRate\"}", "shop", "web")]
    [InlineData("{}:{alertname=\"X\"}", "shop", "Web_Frontend.V2")]
    [InlineData("{}:{alertname=\"X\"}", "shop", "a-very-long-deployment-name-that-goes-on-and-on-and-on-beyond-any-label-limit")]
    public void Names_are_valid_label_values_and_stable(string groupKey, string ns, string deployment)
    {
        var name = AlertIncidentNames.For(groupKey, ns, deployment);

        Assert.Equal(name, AlertIncidentNames.For(groupKey, ns, deployment));
        Assert.True(name.Length <= AlertIncidentNames.MaxLength, name);
        Assert.Matches(Dns1123Label(), name);
        Assert.StartsWith("alert-", name, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_group_or_target_gets_another_name()
    {
        var name = AlertIncidentNames.For("{}:{alertname=\"A\"}", "shop", "web");

        Assert.NotEqual(name, AlertIncidentNames.For("{}:{alertname=\"B\"}", "shop", "web"));
        Assert.NotEqual(name, AlertIncidentNames.For("{}:{alertname=\"A\"}", "shop", "api"));
        Assert.NotEqual(name, AlertIncidentNames.For("{}:{alertname=\"A\"}", "shop2", "web"));
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?\\z")]
    private static partial Regex Dns1123Label();
}
