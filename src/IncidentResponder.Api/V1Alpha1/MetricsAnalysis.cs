using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using IncidentResponder.Api.Schema;

namespace IncidentResponder.Api.V1Alpha1;

/// <summary>
/// Metric analysis: PromQL checks asked of Prometheus for every governed Deployment. A check that holds for its
/// <c>for</c> raises its signal on the Deployment like any other signal (after a rollout it blames the new revision),
/// and a runbook step can wait with the <c>Query</c> verify check until it stops holding.
/// </summary>
public sealed class MetricsSettings
{
    /// <summary>The condition type on the policy saying whether Prometheus answers the checks.</summary>
    public const string AvailableCondition = "MetricsAvailable";

    /// <summary>The condition's reasons: answering, cannot be reached or answers garbage, or refuses a query.</summary>
    public const string AnsweringReason = "PrometheusAnswering";
    public const string UnavailableReason = "PrometheusUnavailable";
    public const string QueryRejectedReason = "QueryRejected";

    [Required]
    [Description("The Prometheus the checks are asked of.")]
    public PrometheusProvider Prometheus { get; set; } = new();

    [DefaultValue("30s"), Duration]
    [Description("How often every check is asked again for each governed Deployment.")]
    public string? Interval { get; set; }

    [Required, MinLength(1), MaxLength(20), ListMapKeys("name")]
    [Description("The checks; each one that holds for its 'for' raises its signal on the Deployment.")]
    public List<MetricCheck> Checks { get; set; } = [];
}

/// <summary>Where Prometheus is, and how to authenticate to it.</summary>
public sealed class PrometheusProvider
{
    [Required, MaxLength(2048)]
    [RegularExpression("^https?://.+")]
    [Description("Base URL of the Prometheus HTTP API, e.g. http://prometheus.monitoring:9090 (the operator asks <url>/api/v1/query). Reached through the operator's egress policy (--egress-allow).")]
    public string Url { get; set; } = string.Empty;

    [Description("Secret key holding a bearer token sent as 'Authorization: Bearer'. Read when querying; never copied into any status.")]
    public SecretKeyReference? BearerTokenSecretRef { get; set; }

    [DefaultValue("10s"), Duration]
    [Description("A query that has not answered after this long counts as Prometheus unavailable.")]
    public string? Timeout { get; set; }
}

/// <summary>One PromQL check: a query, a threshold, and how long it must hold.</summary>
[CelRule("has(self.above) != has(self.below)", "exactly one of above or below must be set", FieldPath = ".above")]
[CelRule("self.signal in ['ErrorRate', 'Latency', 'Saturation', 'DependencyFailure']",
    "a metrics check raises ErrorRate, Latency, Saturation or DependencyFailure", FieldPath = ".signal")]
[CelRule(BalancedBraces, "the query's braces are unbalanced (every '{' needs its '}'; placeholders are written {{namespace}})", FieldPath = ".query")]
public sealed class MetricCheck
{
    /// <summary>
    /// Braces balance, without nesting, outside quoted strings; a {{placeholder}} is one token wherever it stands.
    /// Cheap enough for the API server; every other syntax error comes back from Prometheus into the policy status.
    /// </summary>
    internal const string BalancedBraces =
        "self.query.matches('^(\"([^\"\\\\\\\\]|\\\\\\\\.)*\"|[{][{][a-zA-Z]+[}][}]|[^{}\"])*([{](\"([^\"\\\\\\\\]|\\\\\\\\.)*\"|[{][{][a-zA-Z]+[}][}]|[^{}\"])*[}](\"([^\"\\\\\\\\]|\\\\\\\\.)*\"|[{][{][a-zA-Z]+[}][}]|[^{}\"])*)*$')";

    [Required, DnsLabel]
    [Description("Name of the check; the Query verify check and the incident's signal name it.")]
    public string Name { get; set; } = string.Empty;

    [Required]
    [Description("The signal the check raises: ErrorRate, Latency, Saturation or DependencyFailure. spec.signals routes it to a runbook.")]
    public SignalType Signal { get; set; }

    [Required, MinLength(1), MaxLength(4096)]
    [Description("PromQL instant query returning one number (a scalar or a one-element vector; of several, the worst counts). Placeholders {{namespace}}, {{deployment}}, {{revision}} and {{podTemplateHash}} are filled per Deployment and revision, escaped for a double-quoted label value.")]
    public string Query { get; set; } = string.Empty;

    [Description("The check holds while the query's value is above this.")]
    public double? Above { get; set; }

    [Description("The check holds while the query's value is below this.")]
    public double? Below { get; set; }

    [DefaultValue("1m"), Duration]
    [Description("The check must hold this long without a break before it raises its signal.")]
    public string? For { get; set; }
}
