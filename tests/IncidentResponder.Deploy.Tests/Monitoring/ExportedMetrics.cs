using System.Text;
using System.Text.RegularExpressions;
using IncidentResponder.Operator.Hosting;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;

namespace IncidentResponder.Deploy.Tests.Monitoring;

/// <summary>
/// The series names the operator exports, read from the registry of an operator put together exactly as `run` does
/// (every feature's wiring registers its families there), so the alerts and the dashboard are checked against the
/// code: renaming a metric without updating config/prometheus fails the Deploy tests.
/// </summary>
public static partial class ExportedMetrics
{
    /// <summary>
    /// Families the issue-7 design names that an operator without a history database does not register (the history
    /// store is optional); the dashboard and alerts show them when it is configured.
    /// </summary>
    public static readonly IReadOnlySet<string> RegisteredOnlyWithAHistoryDatabase = new HashSet<string>(StringComparer.Ordinal)
    {
        "incident_responder_history_pending_records",
        "incident_responder_history_lag_seconds",
        "incident_responder_history_writes_total",
    };

    /// <summary>Series Prometheus itself adds to every scrape.</summary>
    public static readonly IReadOnlySet<string> AddedByPrometheus = new HashSet<string>(StringComparer.Ordinal) { "up" };

    private static readonly Lazy<Task<IReadOnlySet<string>>> Names = new(ReadAsync);

    /// <summary>Every series name of the registry: histograms as name_bucket, name_sum and name_count.</summary>
    public static Task<IReadOnlySet<string>> SeriesNamesAsync() => Names.Value;

    private static async Task<IReadOnlySet<string>> ReadAsync()
    {
        // Nothing is started: assembling the operator registers every family, and nothing here talks to this address.
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:9" });
        var instance = OperatorAssembly.Create(client, new OperatorOptions { Health = null }, NullLoggerFactory.Instance, TimeProvider.System);
        using var stream = new MemoryStream();
        await instance.Metrics.Registry.CollectAndExportAsTextAsync(stream);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match family in TypeLine().Matches(Encoding.UTF8.GetString(stream.ToArray())))
        {
            var name = family.Groups["name"].Value;
            names.UnionWith(family.Groups["type"].Value switch
            {
                "histogram" => [name + "_bucket", name + "_sum", name + "_count"],
                "summary" => [name, name + "_sum", name + "_count"],
                _ => [name],
            });
        }

        return names;
    }

    [GeneratedRegex(@"^# TYPE (?<name>\S+) (?<type>\S+)$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();
}
