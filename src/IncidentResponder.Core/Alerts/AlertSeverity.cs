using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;

namespace IncidentResponder.Core.Alerts;

/// <summary>
/// An alert's <c>severity</c> label read against the incident-response playbook's severity table, whose rows are
/// named Critical (SEV-1), High (SEV-2), Medium (SEV-3) and Low (SEV-4). Prometheus' usual words fall into the same rows: warning is the
/// Medium row, info the Low row. The worst firing alert sets the incident's severity; a policy's route for the
/// Alert signal pins it, as it pins any other signal's.
/// </summary>
public static class AlertSeverity
{
    public const string Label = "severity";

    /// <summary>Without a (known) severity label an alert is the Medium row, the incident's default severity.</summary>
    public const Severity Default = Severity.Sev3;

    private static readonly Dictionary<string, Severity> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["critical"] = Severity.Sev1, ["sev-1"] = Severity.Sev1, ["sev1"] = Severity.Sev1, ["p1"] = Severity.Sev1,
        ["high"] = Severity.Sev2, ["error"] = Severity.Sev2, ["major"] = Severity.Sev2, ["sev-2"] = Severity.Sev2, ["sev2"] = Severity.Sev2, ["p2"] = Severity.Sev2,
        ["medium"] = Severity.Sev3, ["warning"] = Severity.Sev3, ["minor"] = Severity.Sev3, ["sev-3"] = Severity.Sev3, ["sev3"] = Severity.Sev3, ["p3"] = Severity.Sev3,
        ["low"] = Severity.Sev4, ["info"] = Severity.Sev4, ["informational"] = Severity.Sev4, ["none"] = Severity.Sev4,
        ["sev-4"] = Severity.Sev4, ["sev4"] = Severity.Sev4, ["p4"] = Severity.Sev4,
    };

    /// <summary>The severity one alert's label stands for, or null when it has no label the table knows.</summary>
    public static Severity? Of(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return alert.Labels.TryGetValue(Label, out var word) && Words.TryGetValue(word.Trim(), out var severity) ? severity : null;
    }

    /// <summary>The incident's severity from its firing alerts, unless the policy pins the signal's.</summary>
    /// <param name="signal">The signal the incident is (what the policy's alert routes made of its first alert).</param>
    /// <param name="routed">The severity an alert's route gives it, which replaces its label; null: labels only.</param>
    public static SeverityAssessment Assess(
        IReadOnlyCollection<Alert> firing, Severity? pinned, SignalType signal = SignalType.Alert, Func<Alert, Severity?>? routed = null)
    {
        ArgumentNullException.ThrowIfNull(firing);
        if (pinned is { } fixedSeverity)
        {
            return new SeverityAssessment(fixedSeverity, $"{fixedSeverity.Name()}: the policy sets {signal} to {fixedSeverity.Name()}");
        }

        var worst = firing.Select(a => (Alert: a, Routed: routed?.Invoke(a), Label: Of(a)))
            .Select(a => (a.Alert, a.Routed, Severity: a.Routed ?? a.Label)).Where(a => a.Severity is not null)
            .OrderBy(a => (int)a.Severity!.Value).ThenBy(a => a.Alert.Fingerprint, StringComparer.Ordinal).FirstOrDefault();
        return worst.Alert is null
            ? new SeverityAssessment(Default, $"{Default.Name()}: no firing alert has a severity label the severity table knows")
            : worst.Routed is { } byRoute
                ? new SeverityAssessment(byRoute, $"{byRoute.Name()}: the policy's alert route gives alert {worst.Alert.Name} {byRoute.Name()}")
                : new SeverityAssessment(worst.Severity!.Value,
                    $"{worst.Severity.Value.Name()}: alert {worst.Alert.Name} has severity \"{worst.Alert.Labels[Label]}\"");
    }
}
