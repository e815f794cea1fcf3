using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace IncidentResponder.Testing;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c>, or <c>$PROMETHEUS</c>) on a free loopback port, scraping one
/// target every second with a private TSDB, optionally evaluating rule files every second and sending alerts to an
/// Alertmanager. Queries go through its HTTP API.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    public const string Job = "simulator";

    private readonly ServerProcess _process;
    private readonly HttpClient _http;

    private PrometheusServer(ServerProcess process)
    {
        _process = process;
        _http = new HttpClient { BaseAddress = process.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress => _process.BaseAddress;

    /// <summary>Why no Prometheus can be started here, or null.</summary>
    public static string? Unavailable() => ProcessRunner.Find("prometheus", "PROMETHEUS") is null
        ? "prometheus is not installed (Debian package prometheus, or $PROMETHEUS): tests/run.sh installs it"
        : null;

    /// <summary>Starts Prometheus scraping <paramref name="metricsUrl"/> every second (job <see cref="Job"/>).</summary>
    public static async Task<PrometheusServer> StartAsync(Uri metricsUrl, IReadOnlyList<string>? ruleFiles = null, Uri? alertmanager = null)
    {
        var executable = ProcessRunner.Find("prometheus", "PROMETHEUS") ?? throw new InvalidOperationException(Unavailable());
        var port = ServerProcess.FreePort();
        var process = await ServerProcess.StartAsync(executable, port,
            directory => File.WriteAllText(Path.Combine(directory, "prometheus.yml"), Config(metricsUrl, ruleFiles ?? [], alertmanager)),
            directory =>
            [
                $"--config.file={Path.Combine(directory, "prometheus.yml")}",
                $"--storage.tsdb.path={Path.Combine(directory, "data")}",
                $"--web.listen-address=127.0.0.1:{port}",
                "--log.level=warn",
            ]);
        return new PrometheusServer(process);
    }

    /// <summary>An instant query; the result vector (each element with <c>metric</c> and <c>value</c>).</summary>
    public async Task<JsonArray> QueryAsync(string promql)
    {
        var response = await _http.GetFromJsonAsync<JsonObject>("api/v1/query?query=" + Uri.EscapeDataString(promql), TestContext.Current.CancellationToken);
        if ((string?)response?["status"] != "success")
        {
            throw new InvalidOperationException($"query {promql} failed: {response}");
        }

        return response!["data"]!["result"]!.AsArray();
    }

    /// <summary>The value of one vector element as a number.</summary>
    public static double Value(JsonNode? element) => double.Parse((string)element!["value"]![1]!, CultureInfo.InvariantCulture);

    /// <summary>Fails the test's wait with what Prometheus printed, for a scrape or rule that never works.</summary>
    public string Output => _process.Output;

    private static string Config(Uri metricsUrl, IReadOnlyList<string> ruleFiles, Uri? alertmanager)
    {
        var config = new StringBuilder()
            .AppendLine("global:")
            .AppendLine("  scrape_interval: 1s")
            .AppendLine("  evaluation_interval: 1s")
            .AppendLine("scrape_configs:")
            .AppendLine(CultureInfo.InvariantCulture, $"  - job_name: {Job}")
            .AppendLine(CultureInfo.InvariantCulture, $"    metrics_path: {metricsUrl.AbsolutePath}")
            .AppendLine("    static_configs:")
            .AppendLine(CultureInfo.InvariantCulture, $"      - targets: ['{metricsUrl.Authority}']");
        if (ruleFiles.Count > 0)
        {
            config.AppendLine("rule_files:");
            foreach (var file in ruleFiles)
            {
                config.AppendLine(CultureInfo.InvariantCulture, $"  - '{file}'");
            }
        }

        if (alertmanager is not null)
        {
            config.AppendLine("alerting:")
                .AppendLine("  alertmanagers:")
                .AppendLine("    - static_configs:")
                .AppendLine(CultureInfo.InvariantCulture, $"        - targets: ['{alertmanager.Authority}']");
        }

        return config.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
    }
}
