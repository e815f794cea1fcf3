using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;
using IncidentResponder.Simulator.Kubelet;
using k8s;
using k8s.Models;

namespace IncidentResponder.Operator.Tests.Scenarios;

/// <summary>
/// OOM kills whose reason the container status lost: the runtime reports a plain "Error" (exit code 1, as when the
/// kernel kills a worker process and the main process exits), and only the node's kernel monitor says it was memory.
/// The operator watches the Nodes' OOMKilling Events and ties them to the pods through the memory cgroup's pod UID.
/// Note: an exit code 137 with rising restarts is already an OOM by the core's fallback, node event or not, so the
/// kills here exit with 1 to show what the node event alone adds.
/// </summary>
public sealed class NodeOomEventTests
{
    private const string NodeOomOnNodes = "involvedObject.kind=Node,reason=OOMKilling";

    [Fact]
    public async Task Kills_known_as_oom_only_from_the_nodes_events_open_an_oom_killed_incident()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.StableDeploymentWithMemoryLimitAsync("web");
        cluster.StartOperator();
        await using var monitor = KernelOomMonitor.Start(cluster, "web");

        await CrashRunningPodsAsync(cluster, "web");
        var incident = await FirstIncidentAsync(cluster, "web");

        Assert.Equal(SignalType.OOMKilled, incident.Spec.Signal.Type);
        Assert.Equal("NodeOOMKilling", incident.Spec.Signal.Reason);
        Assert.Contains("by node OOMKilling event", incident.Spec.Signal.Message, StringComparison.Ordinal);
        Assert.True(monitor.Reported > 0);
        await AssertNoContainerSaysOomAsync(cluster, "web");
    }

    [Fact]
    public async Task Node_events_recorded_outside_default_are_read_by_an_operator_watching_all_namespaces()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.StableDeploymentWithMemoryLimitAsync("web");
        cluster.StartOperator(OperatorCluster.FastOptions() with { Namespaces = [] });
        await using var monitor = KernelOomMonitor.Start(cluster, "web", eventsNamespace: "kube-system");

        await CrashRunningPodsAsync(cluster, "web");
        var incident = await FirstIncidentAsync(cluster, "web");

        Assert.Equal(SignalType.OOMKilled, incident.Spec.Signal.Type);
        Assert.Equal("NodeOOMKilling", incident.Spec.Signal.Reason);
        Assert.True(monitor.Reported > 0);
        var recorded = await cluster.Client.CoreV1.ListNamespacedEventAsync("kube-system", fieldSelector: NodeOomOnNodes,
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.NotEmpty(recorded.Items);
    }

    [Fact]
    public async Task Without_the_nodes_events_the_same_kills_are_a_restart_storm_not_an_oom()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.StableDeploymentWithMemoryLimitAsync("web");
        cluster.StartOperator();

        await CrashRunningPodsAsync(cluster, "web");
        var incident = await FirstIncidentAsync(cluster, "web");

        Assert.Equal(SignalType.RestartStorm, incident.Spec.Signal.Type);
        Assert.DoesNotContain(await cluster.IncidentsAsync(), i => i.Spec.Signal.Type == SignalType.OOMKilled);
        await AssertNoContainerSaysOomAsync(cluster, "web");
    }

    /// <summary>The running pods start dying with exit code 1 and reason Error (the simulated kubelet's crashloop fault).</summary>
    private static async Task CrashRunningPodsAsync(OperatorCluster cluster, string app) =>
        (await cluster.Kubectl.RunAsync("annotate", "pods", "-l", $"app={app}", $"{FaultSpec.FaultAnnotation}=crashloop", "--overwrite")).ShouldSucceed();

    private static Task<Incident> FirstIncidentAsync(OperatorCluster cluster, string target) =>
        Eventually.ValueAsync(async () => (await cluster.IncidentsAsync()).FirstOrDefault(i => i.Spec.TargetRef.Name == target),
            $"an incident for {target}", TimeSpan.FromSeconds(60));

    /// <summary>The kills really carry no OOM sign of their own: no OOMKilled reason, no exit code 137.</summary>
    private static async Task AssertNoContainerSaysOomAsync(OperatorCluster cluster, string app)
    {
        var pods = await cluster.Client.CoreV1.ListNamespacedPodAsync(OperatorCluster.Namespace, labelSelector: $"app={app}",
            cancellationToken: TestContext.Current.CancellationToken);
        var killed = pods.Items.SelectMany(p => p.Status?.ContainerStatuses ?? []).Select(s => s.LastState?.Terminated).OfType<V1ContainerStateTerminated>().ToList();
        Assert.NotEmpty(killed);
        Assert.All(killed, k => Assert.Equal(("Error", 1), (k.Reason, k.ExitCode)));
    }
}
