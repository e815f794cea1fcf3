using IncidentResponder.Simulator;
using k8s;
using k8s.Models;

namespace IncidentResponder.Runtime.Tests.Simulated;

/// <summary>The shared simulated cluster harness plus one client and the pods these tests make; disposed with the test.</summary>
internal sealed class SimulatorSession : IAsyncDisposable
{
    private readonly ClusterHarness _harness;

    private SimulatorSession(ClusterHarness harness)
    {
        _harness = harness;
        Client = harness.Client();
    }

    public SimulatedCluster Cluster => _harness.Cluster;

    public IKubernetes Client { get; }

    public SimulatorHooks Hooks => Cluster.Hooks;

    public static async Task<SimulatorSession> StartAsync(SimulatorOptions? options = null) =>
        new(await ClusterHarness.StartAsync(options));

    public Task<V1Pod> CreatePodAsync(string name, string ns = "default", string? owner = null) =>
        Client.CoreV1.CreateNamespacedPodAsync(
            new V1Pod
            {
                Metadata = new V1ObjectMeta
                {
                    Name = name,
                    Labels = new Dictionary<string, string> { ["app"] = "web" },
                    OwnerReferences = owner is null ? null : [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = owner, Uid = "uid-" + owner, Controller = true }],
                },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "web:1" }] },
            },
            ns,
            cancellationToken: TestContext.Current.CancellationToken);

    public async Task<Dictionary<string, string>> ServerPodVersionsAsync(string ns = "default")
    {
        var list = await Client.CoreV1.ListNamespacedPodAsync(ns, cancellationToken: TestContext.Current.CancellationToken);
        return list.Items.ToDictionary(p => p.Metadata.Name, p => p.Metadata.ResourceVersion);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _harness.DisposeAsync();
    }
}
