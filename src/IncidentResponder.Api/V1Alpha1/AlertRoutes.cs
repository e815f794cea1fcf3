using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace IncidentResponder.Api.V1Alpha1;

/// <summary>
/// What Alertmanager alerts mean to a policy. An alert is only a name and labels; a route says which signal it is
/// (an error-rate alert is an ErrorRate signal, a payment-provider alert a DependencyFailure), and the signal then
/// picks its runbook through <c>spec.signals</c> like every other signal.
/// </summary>
public sealed class AlertSettings
{
    /// <summary>The Ready condition's reason when a route cannot be used (a regular expression that does not compile).</summary>
    public const string InvalidRouteReason = "InvalidAlertRoute";

    [MaxLength(100)]
    [Description("Tried in order; the first route whose alertName and matchers all match an alert gives its signal. An alert no route matches is an Alert signal.")]
    public List<AlertRoute>? Routes { get; set; }
}

/// <summary>One alert name (and optional label matchers) mapped to a signal type.</summary>
public sealed class AlertRoute
{
    [Required, MinLength(1), MaxLength(256)]
    [Description("The alert's alertname label, exactly.")]
    public string AlertName { get; set; } = string.Empty;

    [MaxLength(20)]
    [Description("Further label matchers, all of which must match (Alertmanager semantics: a missing label is the empty string; a regex is anchored at both ends).")]
    public List<AlertLabelMatcher>? Matchers { get; set; }

    [Required]
    [Description("The signal a matching alert is, e.g. ErrorRate, Latency, Saturation, HealthCheckFailing, DependencyFailure or DataIssue.")]
    public SignalType Signal { get; set; }

    [Description("The severity a matching alert has, instead of the one its severity label gives.")]
    public Severity? Severity { get; set; }
}

/// <summary>An Alertmanager label matcher: <c>name="value"</c>, or <c>name=~"regex"</c> with isRegex.</summary>
public sealed class AlertLabelMatcher
{
    [Required, MinLength(1), MaxLength(128), RegularExpression("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    [Description("The label name (Prometheus label name syntax).")]
    public string Name { get; set; } = string.Empty;

    [Required, MaxLength(1024)]
    [Description("The value the label must equal, or with isRegex the regular expression its whole value must match. Empty matches a missing label.")]
    public string Value { get; set; } = string.Empty;

    [DefaultValue(false)]
    [Description("true: value is a regular expression (RE2 syntax, anchored), as Alertmanager's =~ matcher.")]
    public bool? IsRegex { get; set; }
}
