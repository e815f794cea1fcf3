using System.Diagnostics;
using System.Text;
using k8s;

namespace IncidentResponder.Simulator.Tests.Support;

/// <summary>
/// One simulated cluster per test, a kubeconfig for it, and a runner for the real <c>kubectl</c> binary with its own
/// discovery cache (KUBECACHEDIR) and default validation.
/// </summary>
internal sealed class ClusterHarness : IAsyncDisposable
{
    private readonly string _directory;

    private ClusterHarness(SimulatedCluster cluster, string directory, string kubeconfig)
    {
        Cluster = cluster;
        _directory = directory;
        Kubeconfig = kubeconfig;
    }

    public SimulatedCluster Cluster { get; }

    public string Kubeconfig { get; }

    public string Directory => _directory;

    public static async Task<ClusterHarness> StartAsync(SimulatorOptions? options = null)
    {
        var cluster = await SimulatedCluster.StartAsync(options ?? new SimulatorOptions(), TestContext.Current.CancellationToken);
        var directory = Path.Combine(Path.GetTempPath(), "sim-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var kubeconfig = cluster.WriteKubeconfig(Path.Combine(directory, "kubeconfig"));
        return new ClusterHarness(cluster, directory, kubeconfig);
    }

    public Kubernetes Client() => new(KubernetesClientConfiguration.BuildConfigFromConfigFile(Kubeconfig));

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Runs kubectl and returns its exit code and output. Fails the test if it runs longer than the timeout.</summary>
    public async Task<KubectlResult> KubectlAsync(params string[] args) => await KubectlWithTimeoutAsync(TimeSpan.FromSeconds(60), args);

    public async Task<KubectlResult> KubectlWithTimeoutAsync(TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["KUBECONFIG"] = Kubeconfig;
        start.Environment["KUBECACHEDIR"] = Path.Combine(_directory, "cache");
        start.Environment["HOME"] = _directory;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish in {timeout}");
        }

        return new KubectlResult(process.ExitCode, await stdout, await stderr, string.Join(' ', args));
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A kubectl cache file still being written: the temp directory is cleaned up by the OS later.
        }
    }
}

internal sealed record KubectlResult(int ExitCode, string Stdout, string Stderr, string Command)
{
    public KubectlResult ShouldSucceed()
    {
        Assert.True(ExitCode == 0, $"kubectl {Command} exited {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}");
        return this;
    }

    public override string ToString() => new StringBuilder().Append("exit ").Append(ExitCode).Append('\n').Append(Stdout).Append(Stderr).ToString();
}
