using static IncidentResponder.Simulator.Tests.Workloads.WorkloadHarness;

namespace IncidentResponder.Simulator.Tests.Workloads;

/// <summary>DaemonSets through the real kubectl: one pod per eligible node, rollout status/history/undo and a blocked rolling update.</summary>
public sealed class DaemonSetKubectlTests
{
    private const string Agent = """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: agent
        spec:
          selector:
            matchLabels: {app: agent}
          template:
            metadata:
              labels: {app: agent}
            spec:
              containers:
              - name: agent
                image: fluent-bit:3.0
                readinessProbe:
                  httpGet: {path: /, port: 2020}
                  initialDelaySeconds: 10
        """;

    private static Task<ClusterHarness> StartThreeNodesAsync() =>
        StartAsync(new SimulatorOptions { NodeNames = ["sim-node-1", "sim-node-2", "sim-node-3"] });

    private static IEnumerable<string?> AgentNodes(ClusterHarness harness) =>
        Pods(harness).Where(p => Label(p, "app") == "agent" && p["metadata"]!["deletionTimestamp"] is null).Select(p => Str(p["spec"]!["nodeName"])).Order(StringComparer.Ordinal);

    [Fact]
    public async Task A_daemonset_runs_one_pod_per_node_and_reports_its_rollout()
    {
        await using var harness = await StartThreeNodesAsync();
        (await harness.Kubectl.ApplyAsync(Agent)).ShouldSucceed();

        var status = (await harness.KubectlWithTimeoutAsync(Generous, "rollout", "status", "daemonset/agent", "--timeout=50s")).ShouldSucceed();
        Assert.Contains("daemon set \"agent\" successfully rolled out", status.Stdout, StringComparison.Ordinal);
        Assert.Equal(["sim-node-1", "sim-node-2", "sim-node-3"], AgentNodes(harness));
        var fields = (await harness.KubectlAsync("get", "ds", "agent", "-o", "jsonpath={.status.desiredNumberScheduled} {.status.currentNumberScheduled} {.status.numberReady} {.status.updatedNumberScheduled} {.status.numberAvailable} {.status.observedGeneration}")).ShouldSucceed().Stdout;
        Assert.Equal("3 3 3 3 3 1", fields);
        Assert.Matches(@"^agent\s+3\s+3\s+3\s+3\s+3\s+<none>\s+\d+s", (await harness.KubectlAsync("get", "ds", "agent", "--no-headers")).ShouldSucceed().Stdout);
        var hashes = Pods(harness).Select(p => Label(p, "controller-revision-hash")).Distinct().ToList();
        var revision = Assert.Single(hashes);
        var revisionRow = (await harness.KubectlAsync("get", "controllerrevision", $"agent-{revision}", "--no-headers")).ShouldSucceed().Stdout;
        Assert.Matches(@"^agent-\w+\s+daemonset\.apps/agent\s+1\s", revisionRow);
    }

    [Fact]
    public async Task A_node_selector_and_an_untolerated_taint_keep_daemons_off_nodes_but_a_cordon_does_not()
    {
        await using var harness = await StartThreeNodesAsync();
        (await harness.KubectlAsync("label", "node", "sim-node-1", "sim-node-2", "role=edge")).ShouldSucceed();
        (await harness.KubectlAsync("taint", "node", "sim-node-2", "dedicated=db:NoSchedule")).ShouldSucceed();
        (await harness.KubectlAsync("cordon", "sim-node-1")).ShouldSucceed();
        (await harness.Kubectl.ApplyAsync(Agent.Replace("    spec:\n      containers:", "    spec:\n      nodeSelector: {role: edge}\n      containers:", StringComparison.Ordinal))).ShouldSucceed();

        (await harness.KubectlWithTimeoutAsync(Generous, "rollout", "status", "daemonset/agent", "--timeout=50s")).ShouldSucceed();
        Assert.Equal(["sim-node-1"], AgentNodes(harness));

        // Removing the taint makes node 2 eligible: the controller follows node changes.
        (await harness.KubectlAsync("taint", "node", "sim-node-2", "dedicated=db:NoSchedule-")).ShouldSucceed();
        await Eventually.TrueAsync(() => AgentNodes(harness).SequenceEqual(["sim-node-1", "sim-node-2"]), "a daemon on node 2 once untainted", Generous);
    }

    [Fact]
    public async Task A_crash_looping_update_stops_after_max_unavailable_nodes_and_undo_restores_it()
    {
        await using var harness = await StartThreeNodesAsync();
        (await harness.Kubectl.ApplyAsync(Agent)).ShouldSucceed();
        (await harness.KubectlWithTimeoutAsync(Generous, "rollout", "status", "daemonset/agent", "--timeout=50s")).ShouldSucceed();
        var good = Label(Pods(harness)[0], "controller-revision-hash");

        (await harness.KubectlAsync("patch", "daemonset", "agent", "--type=merge", "-p",
            """{"spec":{"template":{"metadata":{"annotations":{"sim.incidentresponder.dev/fault":"crashloop"}}}}}""")).ShouldSucceed();
        await Eventually.TrueAsync(() => Pods(harness).Any(p => WaitingReason(p) == "CrashLoopBackOff"), "a daemon in CrashLoopBackOff", Generous);
        await Eventually.TrueAsync(() => Pods(harness).Any(p => (p["status"]?["containerStatuses"]?[0]?["restartCount"]?.GetValue<int>() ?? 0) >= 2), "the daemon crashing repeatedly", Generous);
        Assert.Equal(2, Pods(harness).Count(p => Label(p, "controller-revision-hash") == good));
        var stuck = (await harness.KubectlAsync("rollout", "status", "daemonset/agent", "--timeout=2s")).Stdout;
        Assert.Contains("Waiting for daemon set \"agent\" rollout to finish: 1 out of 3 new pods have been updated", stuck, StringComparison.Ordinal);

        var history = (await harness.KubectlAsync("rollout", "history", "daemonset/agent")).ShouldSucceed().Stdout;
        Assert.Matches(@"(?m)^1\s", history);
        Assert.Matches(@"(?m)^2\s", history);
        (await harness.KubectlAsync("rollout", "undo", "daemonset/agent")).ShouldSucceed();
        (await harness.KubectlWithTimeoutAsync(Generous, "rollout", "status", "daemonset/agent", "--timeout=50s")).ShouldSucceed();
        await Eventually.TrueAsync(() => Pods(harness).Count == 3 && Pods(harness).All(p => Label(p, "controller-revision-hash") == good), "every daemon back on the good revision", Generous);
        var again = (await harness.KubectlAsync("rollout", "undo", "daemonset/agent", "--to-revision=3")).ShouldSucceed().Stdout;
        Assert.Contains("skipped rollback (current template already matches revision 3)", again, StringComparison.Ordinal);
    }
}
