namespace IncidentResponder.Deploy.Tests.Monitoring;

/// <summary>The metric-name finder the alert and dashboard checks rely on: it must find names, and only names.</summary>
public sealed class PromQlTests
{
    [Theory]
    [InlineData("up", "up")]
    [InlineData("absent(up{job=\"incident-responder\"} == 1)", "up")]
    [InlineData("sum by (controller) (rate(controller_runtime_reconcile_errors_total{job=\"x\"}[5m])) / sum by (controller) (rate(controller_runtime_reconcile_total[5m])) > 0.1",
        "controller_runtime_reconcile_errors_total controller_runtime_reconcile_total")]
    [InlineData("histogram_quantile(0.99, sum by (name, le) (rate(workqueue_queue_duration_seconds_bucket[$__rate_interval])))", "workqueue_queue_duration_seconds_bucket")]
    [InlineData("sum(incident_responder_incidents{severity=\"SEV-1\", phase!~\"Mitigated|Resolved\"}) > 0 and on(job) vector(1) offset 5m", "incident_responder_incidents")]
    [InlineData("max without (pod, instance) (a_metric) * 1e3 + ignoring(le) b:recorded:rule", "a_metric b:recorded:rule")]
    public void Finds_the_metric_names_and_nothing_else(string expression, string expected)
    {
        Assert.Equal(expected.Split(' ').Order(), PromQl.MetricNames(expression).Order());
    }
}
