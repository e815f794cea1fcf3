using System.Text.Json.Nodes;
using IncidentResponder.Operator.Hosting;
using IncidentResponder.Simulator;
using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.Kubelet;
using IncidentResponder.Simulator.Storage;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Bench.Workloads;

/// <summary>One workload's bad rollout: from its clear signal to the Incident created and to the rollback accepted; null if not seen.</summary>
internal sealed record WorkloadOutcome(string Kind, string Name, TimeSpan? Incident, TimeSpan? Rollback);

/// <summary>
/// Signal -> Incident and -> rollback per workload kind, in one run: the simulated cluster with its controllers and a
/// 20x kubelet on three nodes, N Deployments, N StatefulSets and N DaemonSets under the benchmark's policy, the operator
/// in process with its production settings; then one crash-looping rollout per workload, the kinds interleaved.
/// </summary>
internal sealed class WorkloadsRun(int perKind, TimeSpan deadline, string operatorLog, TextWriter output)
{
    public static readonly string[] Kinds = ["Deployment", "StatefulSet", "DaemonSet"];
    private static readonly string Namespace = WorkloadObjects.NamespaceName(0);

    /// <summary>The field manager of the benchmark's own bad-rollout patches, so they are never taken for the operator's rollback.</summary>
    private const string BreakFieldManager = "bench-bad-rollout";

    public async Task<(IReadOnlyList<WorkloadOutcome> Outcomes, string LoadAtStart, string LoadAtEnd)> RunAsync(CancellationToken cancellationToken)
    {
        var loadAtStart = LoadAverage.Read();
        var options = new SimulatorOptions { NodeNames = ["sim-node-1", "sim-node-2", "sim-node-3"] }
            .AddControllers(new ControllerManagerOptions { Kubelet = new KubeletSettings { SpeedFactor = 20 } });
        await using var cluster = await SimulatedCluster.StartAsync(options, cancellationToken).ConfigureAwait(false);
        var incidents = new IncidentCreationClock();
        var signals = new BadPodClock();
        cluster.ClusterStore.AddAdmissionStep(incidents);
        cluster.ClusterStore.AddAdmissionStep(signals);
        cluster.ClusterStore.Create(BuiltinResources.Namespaces, WorkloadObjects.Namespace(Namespace));
        using var admin = new Kubernetes(cluster.ClientConfiguration());
        using var operatorClient = new Kubernetes(cluster.ClientConfiguration());
        await Governance.InstallAsync(admin, new BenchSettings { Namespaces = 1 }, cancellationToken).ConfigureAwait(false);

        var targets = Kinds.SelectMany(kind => Enumerable.Range(0, perKind).Select(i => (Kind: kind, Name: $"{kind.ToLowerInvariant()}-{i:D2}"))).ToList();
        foreach (var (kind, name) in targets)
        {
            await CreateAsync(admin, kind, name, cancellationToken).ConfigureAwait(false);
        }

        await Poll.UntilAsync(() => targets.All(t => Ready(cluster.ClusterStore, t.Kind, t.Name)), TimeSpan.FromMinutes(3), "every workload rolled out and ready", cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"{perKind} Deployments, {perKind} StatefulSets and {perKind} DaemonSets ready on 3 nodes (controllers, kubelet x20)").ConfigureAwait(false);

        using var logProvider = new FileLoggerProvider(operatorLog, LogLevel.Information, flushEachLine: false);
        using var loggers = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Information).AddProvider(logProvider));
        var instance = OperatorAssembly.Create(operatorClient, new OperatorOptions { Identity = "operator-bench", Health = null }, loggers, TimeProvider.System);
        using var stopOperator = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var operatorRun = Task.Run(() => instance.RunAsync(stopOperator.Token), CancellationToken.None);
        await Poll.UntilAsync(() => operatorRun.IsCompleted || instance.Manager.ControllersRunning, TimeSpan.FromMinutes(2), "the operator's controllers to run", cancellationToken).ConfigureAwait(false);

        // Interleaved, so every kind meets the same operator load.
        foreach (var (kind, name) in Enumerable.Range(0, perKind).SelectMany(i => Kinds.Select(kind => (kind, $"{kind.ToLowerInvariant()}-{i:D2}"))))
        {
            signals.Arm(name);
            await BreakAsync(admin, kind, name, cancellationToken).ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
        }

        await output.WriteLineAsync("waiting for every incident and rollback...").ConfigureAwait(false);
        await Poll.TryUntilAsync(() => targets.All(t => RollbackAt(cluster, t.Kind, t.Name) is not null), deadline, cancellationToken).ConfigureAwait(false);
        await stopOperator.CancelAsync().ConfigureAwait(false);
        try
        {
            await operatorRun.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        var outcomes = targets.Select(t =>
        {
            DateTimeOffset? clear = signals.Clear.TryGetValue(t.Name, out var at) ? at : null;
            var created = incidents.Created.Where(c => c.Key.Name.StartsWith(t.Name + "-", StringComparison.Ordinal)).Select(c => (DateTimeOffset?)c.Value).Min();
            return new WorkloadOutcome(t.Kind, t.Name, created - clear, RollbackAt(cluster, t.Kind, t.Name) - clear);
        }).ToList();
        return (outcomes, loadAtStart, LoadAverage.Read());
    }

    private static DateTimeOffset? RollbackAt(SimulatedCluster cluster, string kind, string name)
    {
        var resource = kind.ToLowerInvariant() + "s";
        return cluster.Hooks.AuditLog
            .Where(a => a is { Verb: "patch", Subresource: null, StatusCode: 200 } && a.Resource == resource && a.Name == name
                && !a.Path.Contains(BreakFieldManager, StringComparison.Ordinal) && !a.Path.Contains("dryRun", StringComparison.Ordinal))
            .Select(a => (DateTimeOffset?)a.Time).Min();
    }

    private static bool Ready(ClusterStore store, string kind, string name)
    {
        var resource = kind switch { "Deployment" => BuiltinResources.Deployments, "StatefulSet" => BuiltinResources.StatefulSets, _ => BuiltinResources.DaemonSets };
        var status = store.Get(resource, Namespace, name)?["status"];
        var ready = kind == "DaemonSet" ? status?["numberReady"] : status?["readyReplicas"];
        var want = kind == "DaemonSet" ? status?["desiredNumberScheduled"]?.GetValue<long>() ?? -1 : 2;
        return ready is not null && ready.GetValue<long>() == want && want > 0;
    }

    private static Task CreateAsync(IKubernetes client, string kind, string name, CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, string> { ["app"] = name };
        var template = new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta { Labels = labels },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "nginx:1.25" }] },
        };
        var metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace, Labels = labels };
        var selector = new V1LabelSelector { MatchLabels = labels };
        return kind switch
        {
            "Deployment" => client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment { Metadata = metadata, Spec = new V1DeploymentSpec { Replicas = 2, Selector = selector, Template = template } }, Namespace, cancellationToken: cancellationToken),
            "StatefulSet" => client.AppsV1.CreateNamespacedStatefulSetAsync(new V1StatefulSet { Metadata = metadata, Spec = new V1StatefulSetSpec { Replicas = 2, ServiceName = name, Selector = selector, Template = template } }, Namespace, cancellationToken: cancellationToken),
            _ => client.AppsV1.CreateNamespacedDaemonSetAsync(new V1DaemonSet { Metadata = metadata, Spec = new V1DaemonSetSpec { Selector = selector, Template = template } }, Namespace, cancellationToken: cancellationToken),
        };
    }

    /// <summary>A new image whose containers crash on start: the simulated kubelet's crash-loop fault on the pod template.</summary>
    private static Task BreakAsync(IKubernetes client, string kind, string name, CancellationToken cancellationToken)
    {
        var patch = new V1Patch(new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["sim.incidentresponder.dev/fault"] = "crashloop" } },
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "nginx:1.26" }) },
                },
            },
        }.ToJsonString(), V1Patch.PatchType.StrategicMergePatch);
        return kind switch
        {
            "Deployment" => client.AppsV1.PatchNamespacedDeploymentAsync(patch, name, Namespace, fieldManager: BreakFieldManager, cancellationToken: cancellationToken),
            "StatefulSet" => client.AppsV1.PatchNamespacedStatefulSetAsync(patch, name, Namespace, fieldManager: BreakFieldManager, cancellationToken: cancellationToken),
            _ => client.AppsV1.PatchNamespacedDaemonSetAsync(patch, name, Namespace, fieldManager: BreakFieldManager, cancellationToken: cancellationToken),
        };
    }
}
