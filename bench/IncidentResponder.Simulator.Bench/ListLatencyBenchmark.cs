using System.Diagnostics;
using System.Text.Json;

namespace IncidentResponder.Simulator.Bench;

/// <summary>
/// LIST latency over real HTTP, as a client sees it: from sending the request until the last byte of the body is
/// read. Each shape is checked once (item count) outside the timed runs, so a wrong answer cannot look fast.
/// </summary>
internal sealed class ListLatencyBenchmark(HttpClient http, BenchSettings settings)
{
    public async Task<IReadOnlyList<LatencySummary>> RunAsync(CancellationToken ct)
    {
        var someNamespace = ClusterLoader.NamespaceName(settings.Namespaces / 2);
        var app = ClusterLoader.AppLabel(7);
        var perNamespace = Enumerable.Range(0, settings.Pods).Count(i => ClusterLoader.NamespaceName(i % settings.Namespaces) == someNamespace);
        var perApp = Enumerable.Range(0, settings.Pods).Count(i => ClusterLoader.AppLabel(i) == app);
        return
        [
            await MeasureAsync("pods, all namespaces", "api/v1/pods", settings.Pods, ct),
            await MeasurePagedAsync("pods, all namespaces, limit=500 (all pages)", "api/v1/pods", 500, settings.Pods, ct),
            await MeasureAsync($"pods in namespace {someNamespace}", $"api/v1/namespaces/{someNamespace}/pods", perNamespace, ct),
            await MeasureAsync($"pods with labelSelector app={app}", $"api/v1/pods?labelSelector=app%3D{app}", perApp, ct),
            await MeasureAsync("deployments, all namespaces", "apis/apps/v1/deployments", settings.Deployments, ct),
        ];
    }

    private async Task<LatencySummary> MeasureAsync(string name, string path, int expectedItems, CancellationToken ct)
    {
        var (items, bytes) = await ListOnceAsync(path, ct);
        Check(name, expectedItems, items);
        var samples = new List<TimeSpan>();
        for (var run = 0; run < settings.ListRuns; run++)
        {
            var clock = Stopwatch.StartNew();
            await DrainAsync(path, ct);
            samples.Add(clock.Elapsed);
        }

        return LatencySummary.From(name, samples, $"{items} items, {bytes / 1024.0 / 1024.0:F1} MiB");
    }

    private async Task<LatencySummary> MeasurePagedAsync(string name, string path, int limit, int expectedItems, CancellationToken ct)
    {
        // The correctness check parses every page once; the timed runs read each page and only the continue token,
        // which the server writes first (in metadata), as a client streaming the items would.
        var (items, pages) = await ListAllPagesAsync(path, limit, countItems: true, ct);
        Check(name, expectedItems, items);
        var samples = new List<TimeSpan>();
        for (var run = 0; run < settings.ListRuns; run++)
        {
            var clock = Stopwatch.StartNew();
            var (_, runPages) = await ListAllPagesAsync(path, limit, countItems: false, ct);
            samples.Add(clock.Elapsed);
            Check(name + " (pages)", pages, runPages);
        }

        return LatencySummary.From(name, samples, $"{items} items in {pages} pages");
    }

    private async Task<(int Items, int Pages)> ListAllPagesAsync(string path, int limit, bool countItems, CancellationToken ct)
    {
        var items = 0;
        var pages = 0;
        string? continueToken = null;
        do
        {
            var url = $"{path}?limit={limit}" + (continueToken is null ? string.Empty : $"&continue={Uri.EscapeDataString(continueToken)}");
            var body = await http.GetByteArrayAsync(url, ct);
            pages++;
            if (countItems)
            {
                using var document = JsonDocument.Parse(body);
                items += document.RootElement.GetProperty("items").GetArrayLength();
            }

            continueToken = ContinueTokenOf(body);
        }
        while (!string.IsNullOrEmpty(continueToken));
        return (items, pages);
    }

    /// <summary>metadata.continue of a list body, read with a forward-only reader that stops at the items.</summary>
    private static string? ContinueTokenOf(byte[] body)
    {
        var reader = new Utf8JsonReader(body);
        var depth = 0;
        var inMetadata = false;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    depth++;
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    depth--;
                    inMetadata = inMetadata && depth > 1;
                    break;
                case JsonTokenType.PropertyName when depth == 1 && reader.ValueTextEquals("metadata"u8):
                    inMetadata = true;
                    break;
                case JsonTokenType.PropertyName when depth == 1 && reader.ValueTextEquals("items"u8):
                    return null;
                case JsonTokenType.PropertyName when depth == 2 && inMetadata && reader.ValueTextEquals("continue"u8):
                    reader.Read();
                    return reader.GetString();
            }
        }

        return null;
    }

    private async Task<(int Items, long Bytes)> ListOnceAsync(string path, CancellationToken ct)
    {
        var bytes = await http.GetByteArrayAsync(path, ct);
        using var document = JsonDocument.Parse(bytes);
        return (document.RootElement.GetProperty("items").GetArrayLength(), bytes.LongLength);
    }

    /// <summary>Reads the whole body without keeping it: the client's cost is the transfer, not building a string.</summary>
    private async Task DrainAsync(string path, CancellationToken ct)
    {
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        await body.CopyToAsync(Stream.Null, ct);
    }

    private static void Check(string name, int expected, int actual)
    {
        if (expected != actual)
        {
            throw new InvalidOperationException($"list '{name}' returned {actual} items, expected {expected}");
        }
    }
}
