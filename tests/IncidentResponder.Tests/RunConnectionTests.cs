using System.Net;
using System.Net.Sockets;

namespace IncidentResponder.Tests;

/// <summary>
/// How <c>run</c> meets its cluster: it waits a bounded time for a kubeconfig that <c>sim</c> is about to write (the
/// README's by-hand section starts both at once), and an API server it cannot reach is one warning line per retry.
/// </summary>
public sealed class RunConnectionTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("run-connection-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Run_started_before_sim_waits_for_its_kubeconfig_and_then_lists_from_it()
    {
        var kubeconfig = Path.Combine(_directory, "ir.kubeconfig");
        using var run = ExecutableProcess.Start("run", "--kubeconfig", kubeconfig, "--metrics-bind-address", "0", "--health-probe-bind-address", "127.0.0.1:0");
        await run.WaitForOutputAsync("waiting up to 30s", Deadline);
        Assert.Equal($"waiting up to 30s for --kubeconfig {kubeconfig} to be written (--kubeconfig-wait)", Lines(run.Stderr)[0]);

        using var sim = ExecutableProcess.Start("sim", "--listen", "127.0.0.1:0", "--kubeconfig", kubeconfig);

        // The operator reads the file sim wrote, whole: its informers list from the simulated cluster.
        await run.WaitForOutputAsync("Listed 0 deployments", Deadline);
        Assert.DoesNotContain("is not a usable kubeconfig", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_gives_up_on_a_kubeconfig_that_never_appears_after_the_wait_naming_the_flag()
    {
        var kubeconfig = Path.Combine(_directory, "never.kubeconfig");
        using var run = ExecutableProcess.Start("run", "--kubeconfig", kubeconfig, "--kubeconfig-wait", "1s",
            "--metrics-bind-address", "0", "--health-probe-bind-address", "127.0.0.1:0");

        Assert.Equal(2, await run.WaitForExitAsync(Deadline));
        Assert.Equal(
            [$"waiting up to 1s for --kubeconfig {kubeconfig} to be written (--kubeconfig-wait)",
             $"--kubeconfig {kubeconfig} does not exist: pass the path of a kubeconfig (kubectl's, or the one 'incident-responder sim --kubeconfig' writes)"],
            Lines(run.Stderr));
    }

    [Fact]
    public async Task An_unreachable_api_server_is_one_warning_line_per_retry_without_stack_traces()
    {
        // A port that was free a moment ago and is closed now: every request is refused at once.
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var kubeconfig = Path.Combine(_directory, "closed.kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: closed
              cluster:
                server: http://127.0.0.1:{port}
            users:
            - name: closed
              user:
                token: unused
            contexts:
            - name: closed
              context:
                cluster: closed
                user: closed
            current-context: closed
            """, TestContext.Current.CancellationToken);
        using var run = ExecutableProcess.Start("run", "--kubeconfig", kubeconfig, "--leader-elect", "--leader-election-namespace", "default",
            "--metrics-bind-address", "0", "--health-probe-bind-address", "127.0.0.1:0");

        // An observation window, not synchronisation: what ten seconds of refused connections print.
        await run.WaitForOutputAsync("Connection refused", Deadline);
        await Task.Delay(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        var lines = Lines(run.Output);

        Assert.False(run.HasExited, run.Output);
        Assert.DoesNotContain(lines, line => line.StartsWith("   at ", StringComparison.Ordinal));
        var failures = lines.Where(line => line.Contains(" warn: ", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(failures);
        Assert.All(failures, line => Assert.Matches(@"failed.*; retrying in \d+\.\ds \(HttpRequestException: Connection refused", line));
        // Each informer retries after 0.8 s, 1.6 s, 3.2 s... (jittered up to twice that): at most four tries, so four
        // warning lines, each in ten seconds, however many informers the operator runs; plus a few lines of starting up.
        var perInformer = failures.GroupBy(line => line.Split(' ')[2]).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(perInformer, pair => Assert.True(pair.Value <= 5, $"{pair.Key}: {pair.Value} warnings in ten seconds:\n{run.Output}"));
        Assert.True(lines.Length - failures.Length < 10, $"{lines.Length - failures.Length} other lines in ten seconds:\n{run.Output}");
    }

    private static string[] Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r'))];
}
