using System.Net;
using IncidentResponder.Core.Egress;

namespace IncidentResponder.Core.Tests.Egress;

public sealed class EgressPolicyTests
{
    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("fe80::1")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("0.0.0.0")]
    [InlineData("10.96.0.1")]
    [InlineData("10.244.3.7")]
    [InlineData("10.0.0.5")]
    [InlineData("192.168.1.10")]
    public void Internal_addresses_are_refused_by_default(string address) =>
        Assert.False(EgressPolicy.Default.Allows("flags.example.com", IPAddress.Parse(address)));

    [Fact]
    public void A_public_address_is_allowed_while_no_host_is_listed() =>
        Assert.True(EgressPolicy.Default.Allows("hooks.slack.com", IPAddress.Parse("34.1.2.3")));

    [Fact]
    public void An_allowed_CIDR_opens_that_range_only()
    {
        var policy = new EgressPolicy { Allow = ["127.0.0.1"] };

        Assert.True(policy.Allows("localhost", IPAddress.Loopback));
        Assert.False(policy.Allows("localhost", IPAddress.Parse("127.0.0.2")));
        Assert.False(policy.Allows("metadata", IPAddress.Parse("169.254.169.254")));
    }

    [Fact]
    public void Listed_hosts_restrict_public_destinations_and_do_not_open_internal_addresses()
    {
        var policy = new EgressPolicy { Allow = ["hooks.slack.com", "*.pagerduty.com"] };

        Assert.True(policy.Allows("hooks.slack.com", IPAddress.Parse("34.1.2.3")));
        Assert.True(policy.Allows("events.pagerduty.com", IPAddress.Parse("34.1.2.4")));
        Assert.False(policy.Allows("attacker.example", IPAddress.Parse("34.1.2.5")));
        // The allowed name rebound to the metadata address: the address decides.
        Assert.False(policy.Allows("hooks.slack.com", IPAddress.Parse("169.254.169.254")));
    }

    [Fact]
    public void A_name_with_one_internal_address_among_public_ones_is_refused() =>
        Assert.False(EgressPolicy.Default.AllowsAll("mixed.example", [IPAddress.Parse("34.1.2.3"), IPAddress.Parse("10.96.0.1")]));

    [Fact]
    public void The_cluster_CIDRs_are_configurable()
    {
        var policy = new EgressPolicy { ServiceCidr = "203.0.113.0/24" };

        Assert.False(policy.Allows("svc", IPAddress.Parse("203.0.113.9")));
        Assert.Equal(["not a host!"], new EgressPolicy { Allow = ["10.0.0.0/8", "hooks.slack.com", "not a host!"] }.Invalid());
    }
}
