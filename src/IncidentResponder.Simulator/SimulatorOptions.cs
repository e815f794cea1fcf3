using IncidentResponder.Simulator.Chaos;
using IncidentResponder.Simulator.GitOps;
using IncidentResponder.Simulator.Metrics;

namespace IncidentResponder.Simulator;

/// <summary>How a <see cref="SimulatedCluster"/> is started. Defaults give a cluster that behaves like a real one on loopback.</summary>
public sealed class SimulatorOptions
{
    /// <summary>The clock for every timestamp, watch timeout, bookmark and continue-token expiry. Tests inject a fake one.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Loopback address to listen on.</summary>
    public string ListenAddress { get; init; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (see <see cref="SimulatedCluster.BaseAddress"/>).</summary>
    public int Port { get; init; }

    /// <summary>How many changes the watch history keeps; resuming from older versions gives 410 Expired.</summary>
    public int WatchHistorySize { get; init; } = 100_000;

    /// <summary>Events queued for one watcher beyond which it is dropped as too slow (as kube-apiserver's cacher does).</summary>
    public int MaxQueuedEventsPerWatcher { get; init; } = 1_000_000;

    /// <summary>An idle watch with <c>allowWatchBookmarks</c> gets a BOOKMARK this often (kube-apiserver: about a minute).</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How a watch that starts from a compacted resourceVersion fails: false (kube-apiserver's behaviour) sends HTTP
    /// 200 with one ERROR event (410 Expired); true answers HTTP 410, which clients must also handle.
    /// </summary>
    public bool ExpiredWatchAsHttpStatus { get; init; }

    /// <summary>Continue tokens older than this give 410 Expired (etcd compaction, about 5 minutes on a real cluster).</summary>
    public TimeSpan ContinueTokenLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The bearer token written into the kubeconfig. Any token is accepted; it only identifies requests in the audit log.</summary>
    public string Token { get; init; } = "simulator-token";

    /// <summary>
    /// Bearer token → user name, as a static token file gives the apiserver: the audit log records the user of each
    /// request whose token is listed, so two clients with the same user agent (two operator replicas) are told apart.
    /// </summary>
    public IReadOnlyDictionary<string, string> Users { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Who a request with an unlisted token is, as a SelfSubjectReview (<c>kubectl auth whoami</c>) answers it: the
    /// admin user of the kubeconfig the simulator writes, named as kind and kubeadm name theirs.
    /// </summary>
    public string DefaultUser { get; init; } = "kubernetes-admin";

    /// <summary>The groups of <see cref="DefaultUser"/> (besides system:authenticated, which every user has).</summary>
    public IReadOnlyList<string> DefaultUserGroups { get; init; } = ["kubeadm:cluster-admins"];

    /// <summary>The <c>gitVersion</c> served at <c>/version</c>.</summary>
    public string ServerVersion { get; init; } = "v1.32.13";

    /// <summary>Nodes registered at start, Ready, as kubelets would register them.</summary>
    public IReadOnlyList<string> NodeNames { get; init; } = ["sim-node-1"];

    /// <summary>
    /// Components started with the cluster and disposed with it (controllers, kubelet): each gets the running cluster.
    /// </summary>
    public IList<Func<SimulatedCluster, IAsyncDisposable>> Components { get; } = [];

    /// <summary>Serve the test hooks over HTTP under <c>/simulator/</c>. Off by default: hooks are a programmatic API.</summary>
    public bool ExposeHooksOverHttp { get; init; }

    /// <summary>
    /// Argo CD and Flux, emulated: their upstream CRDs are served and their controllers reconcile Applications,
    /// GitRepositories and Kustomizations from local git repositories. Off (null) by default.
    /// </summary>
    public GitOpsOptions? GitOps { get; init; }

    /// <summary>
    /// Serve every serving pod's request metrics (Prometheus text format) at <c>/sim/metrics</c> on a listener of its
    /// own (<see cref="SimulatedCluster.MetricsAddress"/>). Off (null) by default.
    /// </summary>
    public SimulatedMetricsOptions? Metrics { get; init; }

    /// <summary>
    /// Faults from outside the client on a seeded schedule (errors, latency, watch drops, compaction, conflicts), for
    /// clients to prove they recover. Off (null) by default; requests with <see cref="ChaosOptions.ExemptHeader"/> are spared.
    /// </summary>
    public ChaosOptions? Chaos { get; init; }
}
