using IncidentResponder.Simulator;
using k8s;

namespace IncidentResponder.Testing;

/// <summary>
/// One simulated cluster for one test: the API server on loopback, a kubeconfig for it in a private temporary folder,
/// clients, and the real <c>kubectl</c> binary with its own discovery cache (KUBECACHEDIR) and home in that folder.
/// Disposing stops the cluster and removes the folder.
/// </summary>
public sealed class ClusterHarness : IAsyncDisposable
{
    private ClusterHarness(SimulatedCluster cluster, string directory, string kubeconfig)
    {
        Cluster = cluster;
        Directory = directory;
        Kubeconfig = kubeconfig;
        Kubectl = new Kubectl(kubeconfig, directory);
    }

    public SimulatedCluster Cluster { get; }

    /// <summary>The test's private folder, holding the kubeconfig and kubectl's cache.</summary>
    public string Directory { get; }

    /// <summary>The kubeconfig's path: the cluster selected as the current context, namespace default.</summary>
    public string Kubeconfig { get; }

    public Kubectl Kubectl { get; }

    /// <summary>Starts a cluster with <paramref name="options"/> (none: the API server alone) and writes its kubeconfig.</summary>
    public static async Task<ClusterHarness> StartAsync(SimulatorOptions? options = null)
    {
        var cluster = await SimulatedCluster.StartAsync(options ?? new SimulatorOptions(), TestContext.Current.CancellationToken);
        var directory = System.IO.Directory.CreateTempSubdirectory("sim-tests-").FullName;
        return new ClusterHarness(cluster, directory, cluster.WriteKubeconfig(Path.Combine(directory, "kubeconfig")));
    }

    /// <summary>A new KubernetesClient for the cluster, read from the kubeconfig; the caller disposes it.</summary>
    public Kubernetes Client() => new(KubernetesClientConfiguration.BuildConfigFromConfigFile(Kubeconfig));

    /// <summary>Writes a file into the test's folder and returns its path.</summary>
    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Runs kubectl and returns its exit code and output. Fails the test if it runs longer than 60 s.</summary>
    public Task<ProcessResult> KubectlAsync(params string[] args) => Kubectl.RunAsync(args);

    public Task<ProcessResult> KubectlWithTimeoutAsync(TimeSpan timeout, params string[] args) => Kubectl.RunWithTimeoutAsync(timeout, args);

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A kubectl cache file still being written: the temporary folder is cleaned up by the OS later.
        }
    }
}
