using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace IncidentResponder.Operator.Bench.MetricsAnalysis;

/// <summary>
/// The real <c>prometheus</c> binary scraping the simulator's application metrics, in a private temporary folder.
/// The test library's server helper is bound to xunit's test context, so the bench keeps these few lines of its own.
/// </summary>
internal sealed class PrometheusProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly HttpClient _http;

    private PrometheusProcess(Process process, string directory, Uri baseAddress)
    {
        _process = process;
        _directory = directory;
        BaseAddress = baseAddress;
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    /// <summary>The binary: <c>$PROMETHEUS</c>, else <c>prometheus</c> on the PATH; null when there is none.</summary>
    public static string? Find()
    {
        if (Environment.GetEnvironmentVariable("PROMETHEUS") is { Length: > 0 } configured && File.Exists(configured))
        {
            return configured;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "prometheus")).FirstOrDefault(File.Exists);
    }

    /// <summary>Starts scraping <paramref name="metricsUrl"/> every <paramref name="scrapeInterval"/> and waits until it is ready.</summary>
    public static async Task<PrometheusProcess> StartAsync(string executable, Uri metricsUrl, TimeSpan scrapeInterval, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("prometheus-bench-").FullName;
        var interval = $"{(int)scrapeInterval.TotalMilliseconds}ms";
        // The evaluation interval only paces rules (none here); it is set equal to the scrape interval for the report.
        File.WriteAllText(Path.Combine(directory, "prometheus.yml"), $"""
            global:
              scrape_interval: {interval}
              evaluation_interval: {interval}
            scrape_configs:
              - job_name: simulator
                metrics_path: {metricsUrl.AbsolutePath}
                static_configs:
                  - targets: ['{metricsUrl.Authority}']
            """);
        var port = FreePort();
        var info = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var argument in new[]
                 {
                     $"--config.file={Path.Combine(directory, "prometheus.yml")}", $"--storage.tsdb.path={Path.Combine(directory, "data")}",
                     $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
                 })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"{executable} did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var prometheus = new PrometheusProcess(process, directory, new Uri($"http://127.0.0.1:{port}/"));
        await Poll.UntilAsync(() => prometheus.Ready(), TimeSpan.FromSeconds(60), "prometheus to answer /-/ready", cancellationToken).ConfigureAwait(false);
        return prometheus;
    }

    /// <summary>An instant query's result vector.</summary>
    public async Task<JsonArray> QueryAsync(string promql, CancellationToken cancellationToken) =>
        (await GetAsync("api/v1/query?query=" + Uri.EscapeDataString(promql), cancellationToken).ConfigureAwait(false))["result"]!.AsArray();

    /// <summary>The value of one instant-vector element as a number.</summary>
    public static double Value(JsonNode? element) => double.Parse((string)element!["value"]![1]!, CultureInfo.InvariantCulture);

    /// <summary>
    /// The query evaluated at <paramref name="start"/>, start + step, ... up to <paramref name="end"/>: the first
    /// evaluation time whose value is above <paramref name="threshold"/>, or null.
    /// </summary>
    public async Task<DateTimeOffset?> FirstAboveAsync(string promql, double threshold, DateTimeOffset start, DateTimeOffset end, TimeSpan step, CancellationToken cancellationToken)
    {
        var path = Invariant($"api/v1/query_range?query={Uri.EscapeDataString(promql)}&start={start.ToUnixTimeMilliseconds() / 1000.0:F3}&end={end.ToUnixTimeMilliseconds() / 1000.0:F3}&step={step.TotalSeconds:F3}");
        var series = (await GetAsync(path, cancellationToken).ConfigureAwait(false))["result"]!.AsArray();
        return series.SelectMany(s => s!["values"]!.AsArray())
            .Select(v => (At: DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(v![0]!.GetValue<double>() * 1000)), Value: double.Parse((string)v[1]!, CultureInfo.InvariantCulture)))
            .Where(v => v.Value > threshold)
            .Select(v => (DateTimeOffset?)v.At)
            .Min();
    }

    private async Task<JsonObject> GetAsync(string path, CancellationToken cancellationToken)
    {
        var response = await _http.GetFromJsonAsync<JsonObject>(path, cancellationToken).ConfigureAwait(false);
        return (string?)response?["status"] == "success"
            ? response!["data"]!.AsObject()
            : throw new InvalidOperationException($"prometheus answered {response} to {path}");
    }

    private bool Ready()
    {
        try
        {
            return _http.GetAsync("-/ready").GetAwaiter().GetResult().IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
