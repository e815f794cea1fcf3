using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Alerts;
using static IncidentResponder.Core.Tests.Alerts.AlertParsing;
using static IncidentResponder.Testing.AlertPayloads;

namespace IncidentResponder.Core.Tests.Alerts;

/// <summary>Policy alert routes: what an alert means, with Alertmanager's matcher semantics, and what the incident becomes.</summary>
public sealed class AlertRouteTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 5, 0, TimeSpan.Zero);
    private static readonly TargetFacts Targets = new Facts().Deployment(Namespace, "web", app: "web").Build();

    private static AlertRoute Route(string alertName, SignalType signal, Severity? severity = null, params AlertLabelMatcher[] matchers) =>
        new() { AlertName = alertName, Signal = signal, Severity = severity, Matchers = [.. matchers] };

    private static AlertLabelMatcher Equal(string name, string value) => new() { Name = name, Value = value };

    private static AlertLabelMatcher Regex(string name, string value) => new() { Name = name, Value = value, IsRegex = true };

    private static Alert One(System.Text.Json.Nodes.JsonObject alert) => Assert.Single(Parsed(Group(alert)).Alerts);

    private static System.Text.Json.Nodes.JsonObject WithLabel(System.Text.Json.Nodes.JsonObject alert, string name, string value)
    {
        alert["labels"]![name] = value;
        return alert;
    }

    private static readonly AlertRoute[] Routes =
    [
        Route("PaymentTimeouts", SignalType.DependencyFailure, null, Regex("dependency", "payment(-eu|-us)?")),
        Route("HighErrorRate", SignalType.ErrorRate, Severity.Sev2, Equal("team", "")),
        Route("HighErrorRate", SignalType.Latency),
        Route("BadRows", SignalType.DataIssue),
    ];

    public static TheoryData<string, string?, string, SignalType, int?> Meanings => new()
    {
        { "PaymentTimeouts", "dependency", "payment-eu", SignalType.DependencyFailure, 0 },
        { "PaymentTimeouts", "dependency", "payment", SignalType.DependencyFailure, 0 },
        // A regex matches the whole value, as Alertmanager anchors it.
        { "PaymentTimeouts", "dependency", "payment-eu-2", SignalType.Alert, null },
        { "PaymentTimeouts", "dependency", "old-payment", SignalType.Alert, null },
        { "PaymentTimeouts", null, "", SignalType.Alert, null },
        // An empty equality value matches a missing label; the first matching route wins.
        { "HighErrorRate", null, "", SignalType.ErrorRate, 1 },
        { "HighErrorRate", "team", "payments", SignalType.Latency, 2 },
        { "BadRows", null, "", SignalType.DataIssue, 3 },
        { "SomethingElse", null, "", SignalType.Alert, null },
    };

    [Theory]
    [MemberData(nameof(Meanings))]
    public void An_alert_means_the_signal_of_the_first_route_that_matches(string alertName, string? label, string value, SignalType signal, int? route)
    {
        var payload = Alert("a", alertname: alertName);
        var alert = One(label is null ? payload : WithLabel(payload, label, value));

        var meaning = AlertRouteMatcher.Match(Routes, alert);

        Assert.Equal((signal, route), (meaning.Signal, meaning.Route));
    }

    [Fact]
    public void A_regex_that_does_not_compile_matches_nothing_and_the_validator_names_its_route()
    {
        AlertRoute[] routes = [Route("HighErrorRate", SignalType.Latency), Route("HighErrorRate", SignalType.ErrorRate, null, Regex("deployment", "web("))];

        Assert.Equal(AlertMeaning.Unrouted, AlertRouteMatcher.Match([routes[1]], One(Alert("a"))));
        var problem = AlertRouteValidator.Problem(new AlertSettings { Routes = [.. routes] });
        Assert.NotNull(problem);
        Assert.StartsWith("spec.alerts.routes[1].matchers[0] (alert HighErrorRate): value \"web(\" is not a valid regular expression", problem, StringComparison.Ordinal);
        Assert.Null(AlertRouteValidator.Problem(new AlertSettings { Routes = [.. Routes] }));
    }

    [Fact]
    public void A_backreference_Alertmanager_could_not_compile_is_refused_too()
    {
        Assert.NotNull(AlertRouteMatcher.RegexProblem("(a)\\1"));
        Assert.Null(AlertRouteMatcher.RegexProblem("payment(-eu|-us)?"));
    }

    [Fact]
    public void The_incident_is_the_routed_signal_with_its_runbook_and_the_routes_severity()
    {
        var policy = new AlertPolicy("shop-policy", Routes,
        [
            new SignalRoute { Signal = SignalType.ErrorRate, RunbookRef = new() { Name = "decision-tree" } },
            new SignalRoute { Signal = SignalType.Alert, RunbookRef = new() { Name = "alerts" } },
        ]);
        var group = Parsed(Group(Alert("a", severity: "info")));
        var plan = Assert.Single(AlertIntakePlanner.Plan(group, Targets).Incidents);

        var spec = AlertIncidentRecord.Spec(group, plan, policy);
        var status = AlertIncidentRecord.Apply(null, plan, policy, Now);

        Assert.Equal((SignalType.ErrorRate, "decision-tree", "shop-policy", Severity.Sev2),
            (spec.Signal.Type, spec.RunbookRef!.Name, spec.PolicyRef!.Name, spec.Severity));
        Assert.Equal(SignalType.ErrorRate, Assert.Single(status.Signals!).Type);
        Assert.Equal(Severity.Sev2, status.Severity);
    }

    [Fact]
    public void A_severity_pinned_for_the_routed_signal_wins_over_the_routes()
    {
        var policy = new AlertPolicy("shop-policy", Routes,
            [new SignalRoute { Signal = SignalType.ErrorRate, RunbookRef = new() { Name = "decision-tree" }, Severity = Severity.Sev4 }]);
        var group = Parsed(Group(Alert("a")));

        var spec = AlertIncidentRecord.Spec(group, Assert.Single(AlertIntakePlanner.Plan(group, Targets).Incidents), policy);

        Assert.Equal(Severity.Sev4, spec.Severity);
    }

    [Fact]
    public void A_routed_signal_the_policy_sends_to_no_runbook_leaves_the_incident_without_one()
    {
        var policy = new AlertPolicy("shop-policy", Routes, [new SignalRoute { Signal = SignalType.Alert, RunbookRef = new() { Name = "alerts" } }]);
        var group = Parsed(Group(Alert("a")));

        var spec = AlertIncidentRecord.Spec(group, Assert.Single(AlertIntakePlanner.Plan(group, Targets).Incidents), policy);

        Assert.Equal(SignalType.ErrorRate, spec.Signal.Type);
        Assert.Null(spec.RunbookRef);
    }
}
