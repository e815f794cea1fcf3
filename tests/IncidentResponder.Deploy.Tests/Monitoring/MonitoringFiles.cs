using System.Text.Json.Nodes;
using IncidentResponder.Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace IncidentResponder.Deploy.Tests.Monitoring;

/// <summary>The monitoring files of config/prometheus and their copies in the chart, parsed.</summary>
public static class MonitoringFiles
{
    public const string Folder = "config/prometheus";
    public const string Job = "incident-responder";
    public const string WorkloadExamplesGroup = "incident-responder.workloads";
    public const string ResourceGroup = "incident-responder.resources";
    public const string RuleTestsFolder = $"{Folder}/tests";

    /// <summary>
    /// The metrics the resource alerts read, as the exporters the rule file names publish them (HikariCP through
    /// Micrometer, cAdvisor, kube-state-metrics, node_exporter, blackbox_exporter).
    /// </summary>
    public static readonly IReadOnlySet<string> ExporterMetrics = new HashSet<string>(StringComparer.Ordinal)
    {
        "hikaricp_connections_active", "hikaricp_connections_max", "container_cpu_usage_seconds_total", "container_memory_working_set_bytes",
        "kube_pod_container_resource_limits", "node_filesystem_avail_bytes", "node_filesystem_size_bytes", "node_filesystem_readonly",
        "probe_ssl_earliest_cert_expiry",
    };
    public const string ChartRuleSpec = $"{Chart.Folder}/files/prometheusrule-spec.yaml";
    public const string ChartDashboard = $"{Chart.Folder}/files/grafana-dashboard.json";

    public static YamlMappingNode PrometheusRule() => YamlDocs.LoadFile($"{Folder}/prometheusrule.yaml").Single();

    public static YamlMappingNode ServiceMonitor() => YamlDocs.LoadFile($"{Folder}/servicemonitor.yaml").Single();

    public static JsonObject Dashboard() => JsonNode.Parse(RepositoryRoot.ReadText($"{Folder}/grafana-dashboard.json"))!.AsObject();

    /// <summary>Each rule with the name of its group.</summary>
    public static IReadOnlyList<(string Group, YamlMappingNode Rule)> Rules(YamlNode spec) =>
        [.. spec.Seq("groups").SelectMany(g => g.Seq("rules").Select(r => (g.Str("name") ?? string.Empty, (YamlMappingNode)r)))];

    /// <summary>Every panel, rows' nested panels included.</summary>
    public static IEnumerable<JsonObject> Panels(JsonObject dashboard) =>
        dashboard["panels"]!.AsArray().Select(p => p!.AsObject())
            .SelectMany(p => new[] { p }.Concat(p["panels"]?.AsArray().Select(n => n!.AsObject()) ?? []));

    public static IEnumerable<string> Expressions(JsonObject dashboard) =>
        Panels(dashboard).SelectMany(p => p["targets"]?.AsArray() ?? []).Select(t => (string?)t!["expr"] ?? string.Empty);
}
