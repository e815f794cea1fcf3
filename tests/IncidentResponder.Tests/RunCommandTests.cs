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
        var directory = Directory.CreateTempSubdirectory("run-command-").FullName;
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        using var sim = ExecutableProcess.Start("sim", "--listen", "127.0.0.1:0", "--kubeconfig", kubeconfig);
        await sim.WaitForOutputAsync("kubeconfig:", Deadline);
        var crds = Path.Combine(RepositoryRoot(), "config", "crd", "bases");
        Assert.Equal(0, (await Kubectl.RunAsync(kubeconfig, "apply", "-f", crds)).ExitCode);

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
            await PollAsync(async () => (await http.GetAsync(new Uri(probes, "readyz"), TestContext.Current.CancellationToken)).StatusCode == HttpStatusCode.OK,
                "readyz to answer 200");
            var exposition = await http.GetStringAsync(metrics, TestContext.Current.CancellationToken);
            Assert.Contains("leader_election_master_status", exposition, StringComparison.Ordinal);
        }

        foreach (var instance in new[] { first, second })
        {
            Signal(instance.Id, "TERM");
            Assert.Equal(0, await instance.WaitForExitAsync(Deadline));
        }

        Signal(sim.Id, "TERM");
        await sim.WaitForExitAsync(Deadline);
        Directory.Delete(directory, recursive: true);
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private static async Task PollAsync(Func<Task<bool>> condition, string what)
    {
        var until = DateTime.UtcNow + Deadline;
        while (DateTime.UtcNow < until)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"timed out waiting for {what}");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Operator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Operator.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"Serving probes and metrics at (http://\S+)")]
    private static partial Regex ProbesLine();

    [GeneratedRegex(@"Serving metrics at (http://\S+)")]
    private static partial Regex MetricsLine();
}
