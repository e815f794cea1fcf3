using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace IncidentResponder.Tests;

/// <summary>
/// <c>incident-responder run</c> as an operator runs it: against a cluster through a kubeconfig, probes and metrics on
/// ports it picks itself and logs, two instances side by side with leader election, a clean stop on SIGTERM.
/// </summary>
public sealed partial class RunCommandTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Two_instances_run_side_by_side_report_ready_serve_metrics_and_stop_on_sigterm()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        var kubeconfig = cluster.Kubeconfig;
        (await cluster.KubectlAsync("apply", "-f", RepositoryRoot.Combine("config/crd/bases"))).ShouldSucceed();

        string[] flags = ["run", "--kubeconfig", kubeconfig, "--leader-elect", "--leader-election-namespace", "default",
            "--metrics-bind-address", "127.0.0.1:0", "--health-probe-bind-address", "127.0.0.1:0"];
        using var first = ExecutableProcess.Start(flags);
        using var second = ExecutableProcess.Start(flags);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var instance in new[] { first, second })
        {
            // Port 0: each instance picks free ports and logs where it serves, so two can share one machine.
            var probes = new Uri(ProbesLine().Match(await instance.WaitForOutputAsync("Serving probes and metrics at", Deadline)).Groups[1].Value);
            var metrics = new Uri(MetricsLine().Match(await instance.WaitForOutputAsync("Serving metrics at", Deadline)).Groups[1].Value);
            Assert.NotEqual(0, probes.Port);

            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(probes, "healthz"), TestContext.Current.CancellationToken)).StatusCode);
            // Ready once the caches synced, whether leading or standing by.
            await Eventually.TrueAsync(async () => (await http.GetAsync(new Uri(probes, "readyz"), TestContext.Current.CancellationToken)).StatusCode == HttpStatusCode.OK,
                "readyz to answer 200", Deadline, TimeSpan.FromMilliseconds(100));
            var exposition = await http.GetStringAsync(metrics, TestContext.Current.CancellationToken);
            Assert.Contains("leader_election_master_status", exposition, StringComparison.Ordinal);
        }

        foreach (var instance in new[] { first, second })
        {
            Signal(instance.Id, "TERM");
            Assert.Equal(0, await instance.WaitForExitAsync(Deadline));
        }
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    [GeneratedRegex(@"Serving probes and metrics at (http://\S+)")]
    private static partial Regex ProbesLine();

    [GeneratedRegex(@"Serving metrics at (http://\S+)")]
    private static partial Regex MetricsLine();
}
