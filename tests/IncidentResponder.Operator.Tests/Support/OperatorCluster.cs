using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Hosting;
using IncidentResponder.Simulator;
using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.Kubelet;
using k8s;
using k8s.Models;
using IncidentResponder.Operator.Controllers;
using IncidentResponder.Operator.GitOps;
using IncidentResponder.Operator.MetricsAnalysis;

namespace IncidentResponder.Operator.Tests.Support;

/// <summary>
/// One scenario's world: a simulated cluster whose kubelet runs 20x faster than real time, the project's CRDs applied
/// with kubectl, a client, and the means to start operator instances against it and read what they did.
/// </summary>
internal sealed class OperatorCluster : IAsyncDisposable
{
    public const string Namespace = "default";

    private readonly ClusterHarness _harness;
    private readonly List<RunningOperator> _operators = [];

    private OperatorCluster(ClusterHarness harness)
    {
        _harness = harness;
        Client = harness.Client();
    }

    public SimulatedCluster Cluster => _harness.Cluster;

    public string Kubeconfig => _harness.Kubeconfig;

    public Kubectl Kubectl => _harness.Kubectl;

    public IKubernetes Client { get; }

    /// <param name="gitOps">Turns the simulated cluster's Argo CD and Flux emulation on.</param>
    /// <param name="metrics">Turns the simulated application metrics listener on (for Prometheus to scrape).</param>
    /// <param name="nodes">The nodes registered at start (one by default); a DaemonSet runs a pod on each.</param>
    /// <param name="simulatorTime">The simulated cluster's clock (its kubelet and controllers); the operator keeps real time.</param>
    /// <param name="users">Bearer token → user name, for people with kubeconfigs of their own (<see cref="KubeconfigFor"/>).</param>
    public static async Task<OperatorCluster> StartAsync(
        Simulator.GitOps.GitOpsOptions? gitOps = null, Simulator.Metrics.SimulatedMetricsOptions? metrics = null, IReadOnlyList<string>? nodes = null,
        TimeProvider? simulatorTime = null, IReadOnlyDictionary<string, string>? users = null)
    {
        var simulator = new SimulatorOptions
        {
            GitOps = gitOps, Metrics = metrics, Time = simulatorTime ?? TimeProvider.System,
            NodeNames = nodes ?? new SimulatorOptions().NodeNames,
            Users = users ?? new Dictionary<string, string>(StringComparer.Ordinal),
        };
        var options = simulator.AddControllers(new ControllerManagerOptions
        {
            Kubelet = new KubeletSettings { SpeedFactor = 20 },
        });
        var cluster = new OperatorCluster(await ClusterHarness.StartAsync(options));
        (await cluster.Kubectl.RunAsync("apply", "-f", RepositoryRoot.Combine("config/crd/bases"))).ShouldSucceed();
        return cluster;
    }

    /// <summary>Writes a kubeconfig that authenticates with <paramref name="token"/> (a person's, see StartAsync's users) and returns its path.</summary>
    public string KubeconfigFor(string token, string directory)
    {
        var path = Path.Combine(directory, $"kubeconfig-{token}");
        File.WriteAllText(path, Simulator.Kubeconfig.Render(Cluster.BaseAddress, token));
        return path;
    }

    /// <summary>Options that make an operator react in tenths of seconds instead of seconds.</summary>
    public static OperatorOptions FastOptions(string identity = "operator-test") => new OperatorOptions()
    {
        Identity = identity,
        Namespaces = [Namespace],
        Policy = new PolicyOverrides { ReadinessGrace = TimeSpan.FromSeconds(30) },
        Health = null,
    }
        .Configure<RolloutDetectionFeature>(f => f with { Options = new DetectionOptions { PollInterval = TimeSpan.FromMilliseconds(200) } })
        .Configure<IncidentFeature>(f => f with
        {
            // The scenarios' flag endpoints listen on loopback, which the egress policy refuses unless an admin allows it.
            Options = new IncidentOptions { PollInterval = TimeSpan.FromMilliseconds(200), Egress = new Core.Egress.EgressPolicy { Allow = ["127.0.0.1"] } },
        })
        .Configure<GitOpsFeature>(f => f with { Options = new GitOpsOptions { PollInterval = TimeSpan.FromMilliseconds(500) } })
        // The scenarios' Prometheus listens on loopback too.
        .Configure<MetricsAnalysisFeature>(f => f with { Options = f.Options with { Egress = new Core.Egress.EgressPolicy { Allow = ["127.0.0.1"] } } });

    public RunningOperator StartOperator(OperatorOptions? options = null, string name = "operator")
    {
        var instance = OperatorAssembly.Create(Client, options ?? FastOptions(), TestOutputLoggerProvider.Factory(name), TimeProvider.System);
        var running = new RunningOperator(instance);
        _operators.Add(running);
        return running;
    }

    public Task ApplyRunbookAndPolicyAsync(PolicySettings? policy = null, RunbookSettings? runbook = null) =>
        Kubectl.ApplyAsync(Manifests.Runbook(runbook ?? new RunbookSettings()) + "\n---\n" + Manifests.Policy(policy ?? new PolicySettings()));

    /// <summary>A Deployment of nginx:1.25, rolled out and Available.</summary>
    public async Task CreateDeploymentAsync(string name, int replicas = 2, string image = "nginx:1.25")
    {
        (await Kubectl.RunAsync("create", "deployment", name, $"--image={image}", $"--replicas={replicas}")).ShouldSucceed();
        (await Kubectl.RunAsync("rollout", "status", $"deployment/{name}", "--timeout=60s")).ShouldSucceed();
    }

    /// <summary>A bad rollout as a person makes one: a new image, and a fault the simulated kubelet turns into the failure.</summary>
    public async Task BadRolloutAsync(string name, string fault, string image = "nginx:1.26", int? progressDeadlineSeconds = null)
    {
        var deadline = progressDeadlineSeconds is { } seconds ? $"\"progressDeadlineSeconds\":{seconds}," : string.Empty;
        var template = $"\"template\":{{\"metadata\":{{\"annotations\":{{\"{FaultSpec.FaultAnnotation}\":\"{fault}\"}}}},\"spec\":{{\"containers\":[{{\"name\":\"nginx\",\"image\":\"{image}\"}}]}}}}";
        var patch = "{\"spec\":{" + deadline + template + "}}";
        (await Kubectl.RunAsync("patch", "deployment", name, "--type=merge", "-p", patch)).ShouldSucceed();
    }

    public async Task<V1Deployment> DeploymentAsync(string name) =>
        await Client.AppsV1.ReadNamespacedDeploymentAsync(name, Namespace, cancellationToken: TestContext.Current.CancellationToken);

    public async Task<IReadOnlyList<Incident>> IncidentsAsync()
    {
        var list = await Client.CustomObjects.ListNamespacedCustomObjectAsync<CustomResourceList<Incident>>(
            GroupVersion.Group, GroupVersion.Version, Namespace, Incident.Plural, cancellationToken: TestContext.Current.CancellationToken);
        return [.. list.Items];
    }

    /// <summary>Waits for the target's incident to reach a phase, and returns it.</summary>
    public Task<Incident> IncidentInPhaseAsync(string target, IncidentPhase phase, TimeSpan? timeout = null) =>
        Eventually.ValueAsync(async () => (await IncidentsAsync()).FirstOrDefault(i => i.Spec.TargetRef.Name == target && i.Status?.Phase == phase),
            $"an incident for {target} in phase {phase}", timeout);

    /// <summary>Rollback patches the operator sent to the Deployment (kubectl's own patches and dry runs excluded).</summary>
    public IReadOnlyList<AuditRecord> RollbackPatches(string deployment) =>
        [.. Cluster.Hooks.AuditLog.Where(r => r is { Verb: "patch", Resource: "deployments", Subresource: null, StatusCode: 200 }
            && r.Name == deployment
            && r.UserAgent?.StartsWith("kubectl", StringComparison.Ordinal) != true
            && !r.Path.Contains("dryRun", StringComparison.Ordinal))];

    public IReadOnlyList<AuditRecord> DryRunPatches(string deployment) =>
        [.. Cluster.Hooks.AuditLog.Where(r => r is { Verb: "patch", Resource: "deployments", StatusCode: 200 }
            && r.Name == deployment && r.Path.Contains("dryRun=All", StringComparison.Ordinal))];

    public async Task<IReadOnlyList<Eventsv1Event>> EventsAboutAsync(string kind, string name)
    {
        var list = await Client.EventsV1.ListNamespacedEventAsync(Namespace, cancellationToken: TestContext.Current.CancellationToken);
        return [.. list.Items.Where(e => e.Regarding?.Kind == kind && e.Regarding.Name == name && e.ReportingController == "incident-responder")];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var running in _operators)
        {
            await running.DisposeAsync();
        }

        Client.Dispose();
        await _harness.DisposeAsync();
    }
}
