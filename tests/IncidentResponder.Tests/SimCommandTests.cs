using System.Diagnostics;
using System.Text.RegularExpressions;

namespace IncidentResponder.Tests;

/// <summary><c>incident-responder sim</c> as a user runs it: a free port, a kubeconfig kubectl takes as is, a clean stop on SIGTERM.</summary>
public sealed partial class SimCommandTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Sim_picks_a_free_port_writes_a_kubeconfig_kubectl_uses_and_stops_on_sigterm()
    {
        var directory = Directory.CreateTempSubdirectory("sim-command-").FullName;
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        using var sim = ExecutableProcess.Start("sim", "--listen", "127.0.0.1:0", "--kubeconfig", kubeconfig);

        var output = await sim.WaitForOutputAsync("kubeconfig:", Deadline);
        var port = int.Parse(PortLine().Match(output).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(port, 1, 65535);
        Assert.Contains($"http://127.0.0.1:{port}", output, StringComparison.Ordinal);

        var kubectl = new Kubectl(kubeconfig, directory);
        var namespaces = await kubectl.RunAsync("get", "namespaces", "-o", "name");
        Assert.Equal(0, namespaces.ExitCode);
        Assert.Contains("namespace/default", namespaces.Stdout, StringComparison.Ordinal);

        // The controllers run: a deployment created through kubectl gets its pods.
        Assert.Equal(0, (await kubectl.RunAsync("create", "deployment", "web", "--image=nginx:1.25")).ExitCode);
        var status = await kubectl.RunAsync("rollout", "status", "deployment/web", "--timeout=60s");
        Assert.True(status.ExitCode == 0, status.Stdout + status.Stderr);

        using (var kill = Process.Start("kill", ["-TERM", sim.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(0, await sim.WaitForExitAsync(Deadline));
        Assert.Contains("simulated cluster stopping", sim.Output, StringComparison.Ordinal);
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Sim_with_chaos_prints_its_seed_and_fails_requests_except_exempt_ones()
    {
        var directory = Directory.CreateTempSubdirectory("sim-command-").FullName;
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        using var sim = ExecutableProcess.Start("sim", "--listen", "127.0.0.1:0", "--kubeconfig", kubeconfig,
            "--chaos-seed", "42", "--chaos-error-rate", "1", "--chaos-latency", "10ms");

        var output = await sim.WaitForOutputAsync("kubeconfig:", Deadline);
        Assert.Contains("chaos seed: 42", output, StringComparison.Ordinal);
        var port = int.Parse(PortLine().Match(output).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        http.DefaultRequestHeaders.ConnectionClose = true;
        var ct = TestContext.Current.CancellationToken;

        using var exempt = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces");
        exempt.Headers.Add("X-Sim-No-Chaos", "1");
        using var spared = await http.SendAsync(exempt, ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, spared.StatusCode);
        var hit = 0;
        for (var i = 0; i < 10; i++)
        {
            try
            {
                using var response = await http.GetAsync("/api/v1/namespaces", ct);
                hit += response.IsSuccessStatusCode ? 0 : 1;
            }
            catch (HttpRequestException)
            {
                hit++;
            }
        }

        Assert.Equal(10, hit);
        Directory.Delete(directory, recursive: true);
    }

    [Theory]
    [InlineData("--chaos-error-rate", "1.5", "--chaos-error-rate must be a fraction between 0 and 1")]
    [InlineData("--chaos-watch-drop", "10", "--chaos-watch-drop must be a positive duration with a unit")]
    public async Task Sim_refuses_a_bad_chaos_value_in_one_line(string flag, string value, string message)
    {
        using var sim = ExecutableProcess.Start("sim", "--kubeconfig", Path.Combine(Path.GetTempPath(), "never.kubeconfig"), flag, value);

        Assert.Equal(2, await sim.WaitForExitAsync(Deadline));
        Assert.Contains(message, sim.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", sim.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sim_help_documents_every_chaos_flag()
    {
        using var sim = ExecutableProcess.Start("sim", "--help");

        Assert.Equal(0, await sim.WaitForExitAsync(Deadline));
        foreach (var flag in new[] { "--chaos-seed", "--chaos-error-rate", "--chaos-latency", "--chaos-watch-drop", "--chaos-compaction", "--chaos-conflict-rate" })
        {
            Assert.Contains(flag, sim.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Sim_refuses_a_non_loopback_listen_address()
    {
        using var sim = ExecutableProcess.Start("sim", "--listen", "0.0.0.0:0", "--kubeconfig", Path.Combine(Path.GetTempPath(), "never.kubeconfig"));

        Assert.Equal(2, await sim.WaitForExitAsync(Deadline));
        Assert.Contains("--listen must be a loopback address", sim.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sim_with_metrics_listen_prints_the_metrics_url_and_serves_the_pods_request_metrics_there()
    {
        var directory = Directory.CreateTempSubdirectory("sim-command-").FullName;
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        using var sim = ExecutableProcess.Start("sim", "--listen", "127.0.0.1:0", "--kubeconfig", kubeconfig, "--metrics-listen", "127.0.0.1:0");

        var output = await sim.WaitForOutputAsync("metrics:", Deadline);
        var url = new Uri(MetricsLine().Match(output).Groups[1].Value);
        var kubectl = new Kubectl(kubeconfig, directory);
        Assert.Equal(0, (await kubectl.RunAsync("create", "deployment", "web", "--image=nginx:1.25")).ExitCode);
        using var http = new HttpClient();
        var exposition = await Eventually.ValueAsync(async () =>
        {
            var text = await http.GetStringAsync(url, TestContext.Current.CancellationToken);
            return text.Contains("deployment=\"web\"", StringComparison.Ordinal) ? text : null;
        }, "the web pod's metrics at " + url, Deadline, TimeSpan.FromMilliseconds(200));

        Assert.Equal("/sim/metrics", url.AbsolutePath);
        Assert.Contains("# TYPE http_requests_total counter", exposition, StringComparison.Ordinal);
        Assert.Contains("# TYPE http_request_duration_seconds histogram", exposition, StringComparison.Ordinal);
        using (var kill = Process.Start("kill", ["-TERM", sim.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(0, await sim.WaitForExitAsync(Deadline));
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Sim_refuses_a_metrics_address_that_is_not_loopback()
    {
        using var sim = ExecutableProcess.Start("sim", "--kubeconfig", Path.Combine(Path.GetTempPath(), "never.kubeconfig"), "--metrics-listen", "0.0.0.0:9100");

        Assert.Equal(2, await sim.WaitForExitAsync(Deadline));
        Assert.Contains("--metrics-listen must be a loopback address and port, e.g. 127.0.0.1:0 (got 0.0.0.0:9100)", sim.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", sim.Output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^metrics: (\S+)$", RegexOptions.Multiline)]
    private static partial Regex MetricsLine();

    [GeneratedRegex(@"^port: (\d+)$", RegexOptions.Multiline)]
    private static partial Regex PortLine();
}
