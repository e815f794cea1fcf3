using IncidentResponder.Api.Tests.Support;

namespace IncidentResponder.Api.Tests;

/// <summary>
/// A policy's metrics checks are checked at apply time where a rule is cheap: exactly one threshold, a signal a
/// query can raise, a duration for 'for', and balanced braces in the query (with {{placeholders}} and braces inside
/// quoted strings allowed). Everything else PromQL can get wrong is left to Prometheus and shows in the policy status.
/// </summary>
public sealed class MetricsCheckValidationTests
{
    private const string ErrorRatio =
        "sum(rate(http_requests_total{namespace=\\\"{{namespace}}\\\",pod=~\\\"{{deployment}}-{{podTemplateHash}}-.*\\\",code=~\\\"5..\\\"}[1m])) / sum(rate(http_requests_total{namespace=\\\"{{namespace}}\\\",pod=~\\\"{{deployment}}-{{podTemplateHash}}-.*\\\"}[1m]))";

    private static string Policy(string check) => $$$"""
        apiVersion: incidentresponder.dev/v1alpha1
        kind: RemediationPolicy
        metadata: {name: rp}
        spec:
          signals: [{signal: ErrorRate, runbookRef: {name: rb}}]
          metrics:
            prometheus: {url: "http://prometheus.monitoring:9090", bearerTokenSecretRef: {name: prom, key: token}, timeout: 5s}
            interval: 15s
            checks:
              - {{{check}}}
        """;

    public static TheoryData<string, string, string> Rejected => new()
    {
        { "unbalanced braces", $"{{name: e, signal: ErrorRate, query: \"rate(x{{code=\\\"500\\\"[1m])\", above: 0.1}}", "spec.metrics.checks[0].query: Invalid value: \"string\": the query's braces are unbalanced" },
        { "a closing brace too many", $"{{name: e, signal: ErrorRate, query: \"x}}\", above: 0.1}}", "the query's braces are unbalanced" },
        { "both thresholds", $"{{name: e, signal: ErrorRate, query: \"{ErrorRatio}\", above: 0.1, below: 0.5}}", "spec.metrics.checks[0].above: Invalid value: \"number\": exactly one of above or below must be set" },
        { "no threshold", $"{{name: e, signal: ErrorRate, query: \"{ErrorRatio}\"}}", "exactly one of above or below must be set" },
        { "a signal no query raises", $"{{name: e, signal: CrashLoop, query: \"{ErrorRatio}\", above: 0.1}}", "spec.metrics.checks[0].signal: Invalid value: \"string\": a metrics check raises ErrorRate, Latency, Saturation or DependencyFailure" },
        { "for that is not a duration", $"{{name: e, signal: ErrorRate, query: \"{ErrorRatio}\", above: 0.1, for: soon}}", "spec.metrics.checks[0].for" },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public void A_bad_check_is_rejected_naming_the_field(string name, string check, string expected)
    {
        var admission = GeneratedSchemas.Admit(YamlJson.Document(Policy(check)));
        var messages = admission.Errors.Select(error => error.ToString()).ToList();
        Assert.False(admission.IsValid, $"{name}: the document was accepted");
        Assert.True(messages.Exists(m => m.Contains(expected, StringComparison.Ordinal)), $"{name}: no error contains {expected}:\n  {string.Join("\n  ", messages)}");
        Assert.Empty(admission.Warnings);
    }

    [Theory]
    [InlineData($"{{name: error-ratio, signal: ErrorRate, query: \"{ErrorRatio}\", above: 0.05, for: 2m}}")]
    [InlineData("{name: p99, signal: Latency, query: \"histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{pod=~\\\"{{deployment}}-[a-z0-9]{5,10}-.*\\\"}[5m])))\", above: 0.5}")]
    [InlineData("{name: throughput, signal: Saturation, query: \"sum(rate(http_requests_total[1m]))\", below: 1}")]
    public void A_good_check_is_accepted_with_braces_in_placeholders_and_quoted_regexes(string check)
    {
        var admission = GeneratedSchemas.Admit(YamlJson.Document(Policy(check)));
        Assert.True(admission.IsValid, string.Join("\n", admission.Errors.Select(e => e.ToString())));
        Assert.Empty(admission.Warnings);
    }
}
