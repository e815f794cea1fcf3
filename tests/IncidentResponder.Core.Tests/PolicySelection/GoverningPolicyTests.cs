using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Policy;
using k8s.Models;

namespace IncidentResponder.Core.Tests.PolicySelection;

public sealed class GoverningPolicyTests
{
    private static readonly Dictionary<string, string> Web = new() { ["app"] = "web" };

    [Fact]
    public void Of_the_matching_policies_the_oldest_governs_so_a_newer_one_changes_nothing()
    {
        var older = Policy("b-older", created: new DateTime(2026, 1, 1), app: "web");
        var newer = Policy("a-newer", created: new DateTime(2026, 6, 1), app: "web");

        Assert.Same(older, GoverningPolicy.Of([newer, older], Web));
    }

    [Fact]
    public void Policies_created_at_once_are_ordered_by_name_and_a_selector_that_does_not_match_never_governs()
    {
        var at = new DateTime(2026, 1, 1);
        var b = Policy("b", at, app: "web");
        var a = Policy("a", at, app: "web");
        var other = Policy("0-other", new DateTime(2020, 1, 1), app: "api");

        Assert.Same(a, GoverningPolicy.Of([b, other, a], Web));
        Assert.Null(GoverningPolicy.Of([other], Web));
    }

    [Fact]
    public void Route_finds_the_signal_the_policy_handles_and_nothing_else()
    {
        var policy = Policy("p", new DateTime(2026, 1, 1), app: null);
        policy.Spec.Signals.Add(new SignalRoute { Signal = SignalType.Alert, RunbookRef = new LocalObjectReference { Name = "page" } });

        Assert.Equal("page", GoverningPolicy.Route(policy, SignalType.Alert)?.RunbookRef.Name);
        Assert.Null(GoverningPolicy.Route(policy, SignalType.OOMKilled));
        Assert.Same(policy, GoverningPolicy.Of([policy], Web)); // no selector: every Deployment of the namespace
    }

    private static RemediationPolicy Policy(string name, DateTime created, string? app) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ns", CreationTimestamp = created },
        Spec = new RemediationPolicySpec
        {
            Selector = app is null ? null : new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app } },
        },
    };
}
