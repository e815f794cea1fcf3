using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Alerts;

namespace IncidentResponder.Core.Tests.Alerts;

public sealed class AlertSeverityTests
{
    private static Alert WithSeverity(string? severity, string fingerprint = "f")
    {
        var labels = new Dictionary<string, string> { ["alertname"] = "A" + fingerprint };
        if (severity is not null)
        {
            labels["severity"] = severity;
        }

        return new Alert(AlertStatus.Firing, labels, new Dictionary<string, string>(), DateTimeOffset.UnixEpoch, null, null, fingerprint);
    }

    [Theory]
    [InlineData("critical", Severity.Sev1)]
    [InlineData("Critical", Severity.Sev1)]
    [InlineData("high", Severity.Sev2)]
    [InlineData("major", Severity.Sev2)]
    [InlineData("warning", Severity.Sev3)]
    [InlineData("Warning", Severity.Sev3)]
    [InlineData("minor", Severity.Sev3)]
    [InlineData("info", Severity.Sev4)]
    [InlineData("informational", Severity.Sev4)]
    [InlineData("SEV-2", Severity.Sev2)]
    [InlineData("p4", Severity.Sev4)]
    public void The_label_reads_as_the_seeds_table_row(string label, Severity expected) =>
        Assert.Equal(expected, AlertSeverity.Of(WithSeverity(label)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("urgent-ish")]
    public void An_unknown_or_missing_label_has_no_severity_of_its_own(string? label) =>
        Assert.Null(AlertSeverity.Of(WithSeverity(label)));

    [Fact]
    public void The_worst_firing_alert_sets_the_severity_and_is_named()
    {
        var assessment = AlertSeverity.Assess([WithSeverity("warning", "a"), WithSeverity("critical", "b"), WithSeverity(null, "c")], pinned: null);

        Assert.Equal(Severity.Sev1, assessment.Severity);
        Assert.Equal("SEV-1: alert Ab has severity \"critical\"", assessment.Reason);
    }

    [Fact]
    public void Without_any_known_label_the_default_row_applies()
    {
        var assessment = AlertSeverity.Assess([WithSeverity(null)], pinned: null);

        Assert.Equal(AlertSeverity.Default, assessment.Severity);
        Assert.StartsWith("SEV-3: no firing alert", assessment.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_policy_pin_wins_over_the_labels()
    {
        var assessment = AlertSeverity.Assess([WithSeverity("critical")], pinned: Severity.Sev4);

        Assert.Equal(Severity.Sev4, assessment.Severity);
        Assert.Equal("SEV-4: the policy sets Alert to SEV-4", assessment.Reason);
    }
}
