using System.Text.Json.Nodes;
using IncidentResponder.Simulator.GitOps;
using IncidentResponder.Simulator.Http;
using IncidentResponder.Simulator.Metrics;
using IncidentResponder.Simulator.Storage;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Simulator;

/// <summary>
/// A simulated Kubernetes cluster: an API server on loopback that <c>kubectl</c> and KubernetesClient talk to over
/// the real wire protocol, its storage, the components started with it (controllers, kubelet), and test hooks.
/// </summary>
public sealed class SimulatedCluster : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<IAsyncDisposable> _components = [];
    private readonly ClusterStore _store;

    private SimulatedCluster(WebApplication app, ClusterStore store, SimulatorHooks hooks, SimulatorOptions options, Uri baseAddress)
    {
        _app = app;
        _store = store;
        Hooks = hooks;
        Options = options;
        BaseAddress = baseAddress;
    }

    /// <summary>The API server's address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>In-process access to the cluster's storage, with the same rules as HTTP writes.</summary>
    public IClusterStore Store => _store;

    /// <summary>The store with its simulator-only extensions (selectors, paging, watches, admission, registry).</summary>
    public ClusterStore ClusterStore => _store;

    public SimulatorHooks Hooks { get; }

    /// <summary>The emulated Argo CD and Flux controllers, when <see cref="SimulatorOptions.GitOps"/> is set.</summary>
    public GitOpsComponents? GitOps { get; private set; }

    public SimulatorOptions Options { get; }

    /// <summary>The application metrics URL (<c>http://127.0.0.1:port/sim/metrics</c>) when <see cref="SimulatorOptions.Metrics"/> is set.</summary>
    public Uri? MetricsAddress { get; private set; }

    /// <summary>Starts the API server (Kestrel on <see cref="SimulatorOptions.ListenAddress"/>) and the configured components.</summary>
    public static async Task<SimulatedCluster> StartAsync(SimulatorOptions? options = null, CancellationToken ct = default)
    {
        options ??= new SimulatorOptions();
        var registry = new ResourceRegistry();
        var store = new ClusterStore(options.Time, registry, options.WatchHistorySize, options.MaxQueuedEventsPerWatcher);
        Bootstrap.Install(store, options);
        var hooks = new SimulatorHooks(store, options.Time);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(System.Net.IPAddress.Parse(options.ListenAddress), options.Port);
            kestrel.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.AddServerHeader = false;
        });
        var app = builder.Build();
        var chaos = options.Chaos is { } chaosOptions ? new Chaos.ChaosInjector(chaosOptions) : null;
        var router = new ApiRouter(store, options, hooks, chaos);
        app.Run(router.HandleAsync);
        await app.StartAsync(ct).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var cluster = new SimulatedCluster(app, store, hooks, options, new Uri(address.EndsWith('/') ? address : address + "/"));
        foreach (var component in options.Components)
        {
            cluster._components.Add(component(cluster));
        }

        if (options.Metrics is { } metrics)
        {
            var server = await MetricsServer.StartAsync(store, metrics.ListenAddress ?? options.ListenAddress, metrics, ct).ConfigureAwait(false);
            cluster.MetricsAddress = server.Address;
            cluster._components.Add(server);
        }

        if (chaos is not null && options.Chaos?.CompactionEvery is { } compactionEvery && compactionEvery > TimeSpan.Zero)
        {
            cluster._components.Add(new Chaos.ChaosCompactor(store, chaos, compactionEvery, options.Time));
        }

        if (options.GitOps is { } gitOps)
        {
            cluster.GitOps = GitOpsComponents.Start(cluster, gitOps);
            cluster._components.Add(cluster.GitOps);
        }

        return cluster;
    }

    /// <summary>Writes a kubeconfig for this cluster (current context selected) and returns its path.</summary>
    public string WriteKubeconfig(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, Kubeconfig.Render(BaseAddress, Options.Token));
        return Path.GetFullPath(path);
    }

    /// <summary>A KubernetesClient configuration for this cluster.</summary>
    public KubernetesClientConfiguration ClientConfiguration() => new()
    {
        Host = BaseAddress.GetLeftPart(UriPartial.Authority),
        AccessToken = Options.Token,
        Namespace = "default",
    };

    /// <summary>Registers a node as its kubelet would: Ready, with addresses and node info.</summary>
    public JsonObject AddNode(string name) => Bootstrap.AddNode(_store, name);

    public async ValueTask DisposeAsync()
    {
        foreach (var component in Enumerable.Reverse(_components))
        {
            await component.DisposeAsync().ConfigureAwait(false);
        }

        _store.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
