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
    public async Task Sim_refuses_a_non_loopback_listen_address()
    {
        using var sim = ExecutableProcess.Start("sim", "--listen", "0.0.0.0:0", "--kubeconfig", Path.Combine(Path.GetTempPath(), "never.kubeconfig"));

        Assert.Equal(2, await sim.WaitForExitAsync(Deadline));
        Assert.Contains("--listen must be a loopback address", sim.Output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^port: (\d+)$", RegexOptions.Multiline)]
    private static partial Regex PortLine();
}
