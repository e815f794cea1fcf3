using System.Text.Json.Nodes;
using IncidentResponder.Deploy.Tests.Monitoring;
using IncidentResponder.Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace IncidentResponder.Deploy.Tests;

/// <summary>
/// config/prometheus (PrometheusRule, ServiceMonitor, Grafana dashboard) and its chart copies: well-formed, wired to
/// the metrics Service, every alert with a what-to-do, and every metric they read one the operator really exports.
/// </summary>
public sealed class MonitoringManifestTests
{
    private static readonly string[] RequiredAnnotations = ["summary", "description", "what_to_do"];

    [Fact]
    public async Task Kustomize_renders_the_rule_the_service_monitor_and_the_dashboard_config_map()
    {
        Kustomize.SkipWithoutKubectl();

        var objects = await Kustomize.RenderAsync(MonitoringFiles.Folder);

        Assert.Equal(["ConfigMap", "PrometheusRule", "ServiceMonitor"], objects.Select(o => o.Kind()).Order());
        Assert.All(objects, o => Assert.Equal("incident-responder-system", o.Namespace()));
        var dashboard = objects.Single(o => o.Kind() == "ConfigMap");
        Assert.Equal("1", dashboard.Label("grafana_dashboard"));
        var json = JsonNode.Parse(dashboard.At("data").Entry("incident-responder.json")!)!;
        Assert.True(JsonNode.DeepEquals(MonitoringFiles.Dashboard(), json), "the ConfigMap carries config/prometheus/grafana-dashboard.json unchanged");
        Assert.Equal("monitoring.coreos.com/v1", objects.Single(o => o.Kind() == "PrometheusRule").Str("apiVersion"));
    }

    [Fact]
    public void The_service_monitor_selects_the_metrics_service_and_names_the_job_the_alerts_query()
    {
        var service = YamlDocs.LoadFile("config/manager/metrics_service.yaml").Single();
        var monitor = MonitoringFiles.ServiceMonitor();

        var selector = monitor.Map("spec.selector.matchLabels")!;
        Assert.NotEmpty(selector.Children);
        foreach (var (key, value) in selector.Children)
        {
            Assert.Equal(((YamlScalarNode)value).Value, service.Label(((YamlScalarNode)key).Value!));
        }

        var endpoint = Assert.Single(monitor.Seq("spec.endpoints"));
        Assert.Contains(endpoint.Str("port"), service.Seq("spec.ports").Select(p => p.Str("name")));
        Assert.Equal("/metrics", endpoint.Str("path"));
        Assert.Equal(MonitoringFiles.Job, service.Label(monitor.Str("spec.jobLabel")!));
    }

    [Fact]
    public void Every_alert_says_what_it_means_and_what_to_do()
    {
        var rules = MonitoringFiles.Rules(MonitoringFiles.PrometheusRule().At("spec")!);

        Assert.Equal(rules.Count, rules.Select(r => r.Rule.Str("alert")).Distinct().Count());
        Assert.All(rules, r =>
        {
            var alert = r.Rule.Str("alert");
            Assert.False(string.IsNullOrWhiteSpace(alert), $"a rule of {r.Group} is not an alert");
            Assert.False(string.IsNullOrWhiteSpace(r.Rule.Str("expr")), $"{alert} has no expression");
            Assert.Contains(r.Rule.Str("labels.severity"), new[] { "critical", "warning" });
            foreach (var annotation in RequiredAnnotations)
            {
                Assert.False(string.IsNullOrWhiteSpace(r.Rule.At("annotations").Entry(annotation)), $"{alert} lacks the {annotation} annotation");
            }
        });
        string[] operatorAlerts =
        [
            "IncidentResponderDown", "IncidentResponderReconcileErrors", "IncidentResponderWorkQueueDepthHigh", "IncidentResponderWorkQueueLatencyHigh",
            "IncidentResponderSev1IncidentOpen", "IncidentResponderActionsFailing", "IncidentResponderNotificationsFailing",
            "IncidentResponderHistoryStoreLagging", "IncidentResponderNoLeader",
        ];
        string[] resourceAlerts = ["ConnectionPoolNearFull", "HighCPU", "HighMemory", "DiskSpaceLow", "CertificateExpiringSoon"];
        Assert.Equal(["HighErrorRate", "HighLatency", .. resourceAlerts, .. operatorAlerts], rules.Select(r => r.Rule.Str("alert")!));
    }

    [Fact]
    public async Task Every_metric_an_alert_reads_is_one_the_operator_exports()
    {
        var exported = await ExportedMetrics.SeriesNamesAsync();
        var rules = MonitoringFiles.Rules(MonitoringFiles.PrometheusRule().At("spec")!);

        foreach (var (group, rule) in rules)
        {
            var names = PromQl.MetricNames(rule.Str("expr")!);
            Assert.NotEmpty(names);
            if (group == MonitoringFiles.WorkloadExamplesGroup)
            {
                // The workload alerts are examples on the workloads' own HTTP metrics, not the operator's.
                Assert.All(names, n => Assert.StartsWith("http_request", n, StringComparison.Ordinal));
                continue;
            }

            if (group == MonitoringFiles.ResourceGroup)
            {
                // The resource alerts read what common exporters publish, not the operator's metrics.
                Assert.All(names, n => Assert.True(MonitoringFiles.ExporterMetrics.Contains(n), $"{rule.Str("alert")} reads {n}, which none of the exporters its group names publishes"));
                continue;
            }

            Assert.All(names, n => Assert.True(IsKnown(exported, n), $"{rule.Str("alert")} reads {n}, which the operator does not export"));
            Assert.Contains($"job=\"{MonitoringFiles.Job}\"", rule.Str("expr"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Every_metric_a_dashboard_panel_reads_is_one_the_operator_exports()
    {
        var exported = await ExportedMetrics.SeriesNamesAsync();
        var expressions = MonitoringFiles.Expressions(MonitoringFiles.Dashboard()).ToList();

        Assert.NotEmpty(expressions);
        Assert.All(expressions, e =>
        {
            var names = PromQl.MetricNames(e);
            Assert.NotEmpty(names);
            Assert.All(names, n => Assert.True(IsKnown(exported, n), $"the dashboard reads {n}, which the operator does not export: {e}"));
        });
    }

    [Fact]
    public async Task The_incident_metrics_are_among_the_exported_ones()
    {
        // Guards the check above against an empty or wrong registry (which would make every name "unknown").
        var exported = await ExportedMetrics.SeriesNamesAsync();

        string[] expected =
        [
            "incident_responder_incidents", "incident_responder_actions_total", "incident_responder_time_to_detect_seconds_bucket",
            "incident_responder_time_to_mitigate_seconds_count", "controller_runtime_reconcile_errors_total", "workqueue_depth",
            "leader_election_master_status",
        ];
        Assert.All(expected, n => Assert.Contains(n, exported));
        Assert.DoesNotContain("incident_responder_incidents_total", exported);
    }

    [Fact]
    public void The_dashboard_is_valid_with_unique_panel_ids_and_a_query_in_every_panel()
    {
        var dashboard = MonitoringFiles.Dashboard();
        var panels = MonitoringFiles.Panels(dashboard).ToList();

        Assert.Equal("incident-responder", (string?)dashboard["uid"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)dashboard["title"]));
        var ids = panels.Select(p => (int)p["id"]!).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(panels, p =>
        {
            Assert.NotNull(p["gridPos"]);
            if ((string?)p["type"] != "row")
            {
                Assert.NotEmpty(p["targets"]!.AsArray());
                Assert.All(p["targets"]!.AsArray(), t => Assert.False(string.IsNullOrWhiteSpace((string?)t!["expr"])));
            }
        });
        var titles = panels.Select(p => (string?)p["title"] ?? string.Empty).ToList();
        foreach (var topic in new[] { "severity", "phase", "outcome", "detect", "mitigate", "Reconcile", "queue", "Notification", "History" })
        {
            Assert.Contains(titles, t => t.Contains(topic, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public void The_chart_carries_the_same_rules_and_dashboard_as_config_prometheus()
    {
        var chartSpec = YamlDocs.LoadFile(MonitoringFiles.ChartRuleSpec).Single();
        var configSpec = MonitoringFiles.PrometheusRule().At("spec")!;

        Assert.True(JsonNode.DeepEquals(YamlJson.ToJson(configSpec), YamlJson.ToJson(chartSpec)),
            $"{MonitoringFiles.ChartRuleSpec} differs from the spec of {MonitoringFiles.Folder}/prometheusrule.yaml");
        Assert.Equal(RepositoryRoot.ReadText($"{MonitoringFiles.Folder}/grafana-dashboard.json"), RepositoryRoot.ReadText(MonitoringFiles.ChartDashboard));
    }

    [Theory]
    [InlineData("servicemonitor.yaml", "prometheus.serviceMonitor.enabled")]
    [InlineData("prometheusrule.yaml", "prometheus.rules.enabled")]
    [InlineData("grafana-dashboard.yaml", "grafana.dashboard.enabled")]
    public void Each_monitoring_template_is_off_by_default_and_wholly_gated_by_its_value(string template, string value)
    {
        var text = Chart.Templates()[template].Trim();

        Assert.StartsWith($"{{{{- if .Values.{value} }}}}", text, StringComparison.Ordinal);
        Assert.EndsWith("{{- end }}", text, StringComparison.Ordinal);
        Assert.Equal("false", YamlDocs.LoadOne(RepositoryRoot.ReadText($"{Chart.Folder}/values.yaml"), "values.yaml").Str(value));
    }

    [Fact]
    public async Task Helm_renders_the_monitoring_objects_only_when_enabled()
    {
        Helm.SkipWithoutHelm();

        var byDefault = await Helm.TemplateAsync("ops");
        Assert.DoesNotContain(byDefault, o => o.Kind() is "ServiceMonitor" or "PrometheusRule" || o.Label("grafana_dashboard") is not null);

        var enabled = await Helm.TemplateAsync("ops", "prometheus.serviceMonitor.enabled=true", "prometheus.rules.enabled=true", "grafana.dashboard.enabled=true");
        var monitor = enabled.Single(o => o.Kind() == "ServiceMonitor");
        var service = enabled.Single(o => o.Kind() == "Service" && o.Label("app.kubernetes.io/component") == "metrics");
        foreach (var (key, value) in monitor.Map("spec.selector.matchLabels")!.Children)
        {
            Assert.Equal(((YamlScalarNode)value).Value, service.Label(((YamlScalarNode)key).Value!));
        }

        Assert.Equal(MonitoringFiles.Job, service.Label(monitor.Str("spec.jobLabel")!));
        var rule = enabled.Single(o => o.Kind() == "PrometheusRule");
        Assert.True(JsonNode.DeepEquals(YamlJson.ToJson(MonitoringFiles.PrometheusRule().At("spec")!), YamlJson.ToJson(rule.At("spec")!)),
            "the rendered PrometheusRule's spec differs from config/prometheus (helm must not touch the {{ $labels }} templates)");
        var dashboard = enabled.Single(o => o.Label("grafana_dashboard") == "1");
        Assert.True(JsonNode.DeepEquals(MonitoringFiles.Dashboard(), JsonNode.Parse(dashboard.At("data").Entry("incident-responder.json")!)));
    }

    [Fact]
    public async Task Promtool_accepts_the_rules()
    {
        if (Tool.Find("promtool", "PROMTOOL") is not { } promtool)
        {
            Assert.Skip("promtool is not installed (Debian package prometheus, or $PROMTOOL), so the rules are checked by these tests only.");
            return;
        }

        // The chart's spec file is a plain rule file (groups:), the format promtool reads.
        var output = await Tool.RunAsync(promtool, ["check", "rules", RepositoryRoot.Combine(MonitoringFiles.ChartRuleSpec)]);

        Assert.Contains($"SUCCESS: {MonitoringFiles.Rules(MonitoringFiles.PrometheusRule().At("spec")!).Count} rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promtool_unit_tests_of_the_rules_pass()
    {
        if (Tool.Find("promtool", "PROMTOOL") is not { } promtool)
        {
            Assert.Skip("promtool is not installed (Debian package prometheus, or $PROMTOOL), so the rules' unit tests cannot run.");
            return;
        }

        var files = Directory.GetFiles(RepositoryRoot.Combine(MonitoringFiles.RuleTestsFolder), "*.test.yaml").Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(files);

        var output = await Tool.RunAsync(promtool, ["test", "rules", .. files]);

        Assert.Equal(files.Length, output.Split('\n').Count(line => line.Trim() == "SUCCESS"));
    }

    [Fact]
    public void Every_resource_alert_has_a_promtool_test_that_fires_and_one_that_stays_quiet()
    {
        var cases = Directory.GetFiles(RepositoryRoot.Combine(MonitoringFiles.RuleTestsFolder), "*.test.yaml")
            .SelectMany(f => YamlDocs.LoadFile(Path.GetRelativePath(RepositoryRoot.Path, f)).Single().Seq("tests"))
            .SelectMany(t => t.Seq("alert_rule_test"))
            .Select(c => (Alert: c.Str("alertname")!, Fires: c.Seq("exp_alerts").Any()))
            .ToList();
        var alerts = MonitoringFiles.Rules(MonitoringFiles.PrometheusRule().At("spec")!)
            .Where(r => r.Group == MonitoringFiles.ResourceGroup).Select(r => r.Rule.Str("alert")!).ToList();

        Assert.Equal(5, alerts.Count);
        Assert.All(alerts, alert =>
        {
            Assert.Contains((alert, true), cases);
            Assert.Contains((alert, false), cases);
        });
    }

    private static bool IsKnown(IReadOnlySet<string> exported, string name) =>
        exported.Contains(name) || ExportedMetrics.RegisteredOnlyWithAHistoryDatabase.Contains(name) || ExportedMetrics.AddedByPrometheus.Contains(name);
}
