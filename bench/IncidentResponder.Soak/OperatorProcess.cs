using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace IncidentResponder.Soak;

/// <summary>One resource sample of one operator process.</summary>
public sealed record ResourceSample(DateTimeOffset At, int Fds, int Sockets, int Threads, double? HeapBytes);

/// <summary>
/// One operator slot: <c>incident-responder run --leader-elect</c> with its own kubeconfig (its own bearer token, so
/// the audit log names its user) and POD_NAME (its Lease identity). Killed with SIGKILL or SIGTERM and started again;
/// each start is a new generation with its own resource series.
/// </summary>
public sealed partial class OperatorProcess(string user, string kubeconfig, SoakOptions options, string ns) : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(15) };

    /// <summary>
    /// Start-up is not a trend: informers list, watches open and the thread pool grows in the first minute, so a
    /// generation's series starts after it.
    /// </summary>
    public static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(60);

    private DateTimeOffset _startedAt;

    private Process? _process;
    private int _metricsPort;

    public string User => user;

    public int Generation { get; private set; }

    /// <summary>The Lease holder identity of the running generation.</summary>
    public string Identity => $"{user}-{Generation}";

    public bool Running => _process is { HasExited: false };

    public List<(int Generation, List<ResourceSample> Samples)> Series { get; } = [];

    public void Start()
    {
        Generation++;
        _startedAt = DateTimeOffset.UtcNow;
        _metricsPort = FreePort();
        var log = Path.Combine(options.WorkDirectory, $"{Identity}.log");
        var start = new ProcessStartInfo(options.OperatorExecutable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "run", "--leader-elect", "--kubeconfig", kubeconfig, "--namespace", ns, "--leader-election-namespace", ns,
            "--metrics-bind-address", $"127.0.0.1:{_metricsPort}", "--health-probe-bind-address", "127.0.0.1:0",
        })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["POD_NAME"] = Identity;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {options.OperatorExecutable}");
        var writer = TextWriter.Synchronized(new StreamWriter(log) { AutoFlush = true });
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) writer.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) writer.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Series.Add((Generation, []));
    }

    /// <summary>kill -9 (no goodbye, the Lease expires) or SIGTERM (a graceful stop that releases it).</summary>
    public void Kill(bool hard)
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        if (hard)
        {
            process.Kill(entireProcessTree: true);
        }
        else
        {
            using var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
            term?.WaitForExit();
            if (!process.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                process.Kill(entireProcessTree: true);
            }
        }

        process.WaitForExit();
    }

    /// <summary>Reads /proc for fds, sockets and threads, and the metrics endpoint for the managed heap.</summary>
    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        if (_process is not { HasExited: false } process || DateTimeOffset.UtcNow - _startedAt < WarmUp)
        {
            return;
        }

        try
        {
            var fds = Directory.GetFiles($"/proc/{process.Id}/fd");
            var sockets = fds.Count(fd => ReadLink(fd)?.StartsWith("socket:", StringComparison.Ordinal) == true);
            var status = await File.ReadAllTextAsync($"/proc/{process.Id}/status", cancellationToken);
            var threads = int.Parse(ThreadsLine().Match(status).Groups[1].Value, CultureInfo.InvariantCulture);
            var heap = await HeapAsync(cancellationToken);
            Series[^1].Samples.Add(new ResourceSample(DateTimeOffset.UtcNow, fds.Length, sockets, threads, heap));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or FormatException)
        {
            // The process died between the check and the read: its series simply ends.
        }
    }

    private async Task<double?> HeapAsync(CancellationToken cancellationToken)
    {
        try
        {
            var text = await Http.GetStringAsync(new Uri($"http://127.0.0.1:{_metricsPort}/metrics"), cancellationToken);
            var match = HeapLine().Match(text);
            return match.Success ? double.Parse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture) : null;
        }
        catch (Exception error) when (error is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null; // a busy or dying process: this sample has no heap figure
        }
    }

    private static string? ReadLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"^Threads:\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex ThreadsLine();

    [GeneratedRegex(@"^dotnet_total_memory_bytes\s+([0-9.eE+-]+)\s*$", RegexOptions.Multiline)]
    private static partial Regex HeapLine();

    public void Dispose()
    {
        Kill(hard: true);
        _process?.Dispose();
    }
}
