using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.Kubelet;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator.Tests.Controllers;

/// <summary>
/// The controllers and kubelets seen through the real kubectl binary: rollouts that complete, fail, time out and roll
/// back, scaling, waiting, describe's events and cascading deletion. The kubelet runs 20x faster than real time.
/// </summary>
public sealed class ControllersKubectlTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    private static Task<ClusterHarness> StartAsync() =>
        ClusterHarness.StartAsync(new SimulatorOptions().AddControllers(new ControllerManagerOptions
        {
            Kubelet = new KubeletSettings { SpeedFactor = 20, StartupDelay = TimeSpan.FromSeconds(4), CrashAfter = TimeSpan.FromSeconds(4) },
        }));

    /// <summary><c>kubectl create deployment</c> itself: kubectl sends it as protobuf, which the simulator decodes.</summary>
    private static async Task CreateDeploymentAsync(ClusterHarness harness, string name, string image, int replicas) =>
        (await harness.KubectlAsync("create", "deployment", name, $"--image={image}", $"--replicas={replicas}")).ShouldSucceed();

    private static IReadOnlyList<JsonObject> Pods(ClusterHarness harness) => harness.Cluster.Store.List(BuiltinResources.Pods, "default");

    private static string? Str(JsonNode? node) => node?.GetValue<string>();

    [Fact]
    public async Task Create_deployment_rolls_out_and_is_available()
    {
        await using var harness = await StartAsync();
        await CreateDeploymentAsync(harness, "web", "nginx:1.25", 3);

        var status = (await harness.KubectlAsync("rollout", "status", "deployment/web", "--timeout=60s")).ShouldSucceed();
        Assert.Contains("deployment \"web\" successfully rolled out", status.Stdout, StringComparison.Ordinal);
        (await harness.KubectlAsync("wait", "--for=condition=Available", "deployment/web", "--timeout=30s")).ShouldSucceed();

        var pods = (await harness.KubectlAsync("get", "pods", "-l", "app=web", "--no-headers")).ShouldSucceed().Stdout;
        var lines = pods.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.All(lines, line => Assert.Matches(@"^web-[bcdfghjklmnpqrstvwxz2456789]+-[bcdfghjklmnpqrstvwxz2456789]{5}\s+1/1\s+Running\s+0\s", line));

        var revision = (await harness.KubectlAsync("get", "deployment", "web", "-o", "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision} {.status.readyReplicas} {.status.conditions[?(@.type==\"Progressing\")].reason}")).ShouldSucceed();
        Assert.Equal("1 3 NewReplicaSetAvailable", revision.Stdout);

        var describe = (await harness.KubectlAsync("describe", "deployment", "web")).ShouldSucceed().Stdout;
        Assert.Matches(@"NewReplicaSet:\s+web-\w+ \(3/3 replicas created\)", describe);
        Assert.Matches(@"Normal\s+ScalingReplicaSet\s+\S+\s+deployment-controller\s+Scaled up replica set web-\w+ from 0 to 3", describe);
    }

    [Fact]
    public async Task A_bad_image_with_an_image_pull_fault_fails_the_rollout_and_undo_restores_it()
    {
        await using var harness = await StartAsync();
        await CreateDeploymentAsync(harness, "web", "nginx:1.25", 2);
        (await harness.KubectlAsync("rollout", "status", "deployment/web", "--timeout=60s")).ShouldSucceed();

        // One revision: a 3 s progress deadline, the fault annotation on the template and an image that does not exist.
        (await harness.KubectlAsync("patch", "deployment", "web", "--type=merge", "-p",
            """{"spec":{"progressDeadlineSeconds":3,"template":{"metadata":{"annotations":{"sim.incidentresponder.dev/fault":"imagepull"}},"spec":{"containers":[{"name":"nginx","image":"nginx:does-not-exist"}]}}}}""")).ShouldSucceed();

        var failed = await harness.KubectlWithTimeoutAsync(Generous, "rollout", "status", "deployment/web", "--timeout=50s");
        Assert.NotEqual(0, failed.ExitCode);
        Assert.Contains("deployment \"web\" exceeded its progress deadline", failed.Stderr, StringComparison.Ordinal);

        await Eventually.TrueAsync(() => Pods(harness).Any(p => Str(p["status"]?["containerStatuses"]?[0]?["state"]?["waiting"]?["reason"]) == "ImagePullBackOff"), "a pod in ImagePullBackOff", Generous);
        var broken = Pods(harness).First(p => Str(p["spec"]?["containers"]?[0]?["image"]) == "nginx:does-not-exist");
        var describe = (await harness.KubectlAsync("describe", "pod", Str(broken["metadata"]!["name"])!)).ShouldSucceed().Stdout;
        Assert.Contains("Failed to pull image \"nginx:does-not-exist\"", describe, StringComparison.Ordinal);
        Assert.Matches(@"Normal\s+Scheduled\s+.*default-scheduler\s+Successfully assigned default/web-", describe);
        Assert.Matches(@"Normal\s+BackOff\s+.*kubelet\s+Back-off pulling image ""nginx:does-not-exist""", describe);

        var history = (await harness.KubectlAsync("rollout", "history", "deployment/web")).ShouldSucceed().Stdout;
        Assert.Matches(@"(?m)^1\s", history);
        Assert.Matches(@"(?m)^2\s", history);

        (await harness.KubectlAsync("rollout", "undo", "deployment/web")).ShouldSucceed();
        (await harness.KubectlWithTimeoutAsync(Generous, "rollout", "status", "deployment/web", "--timeout=50s")).ShouldSucceed();
        var image = (await harness.KubectlAsync("get", "deployment", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image} {.metadata.annotations.deployment\\.kubernetes\\.io/revision}")).ShouldSucceed();
        Assert.Equal("nginx:1.25 3", image.Stdout);
        await Eventually.TrueAsync(() => Pods(harness).All(p => Str(p["spec"]?["containers"]?[0]?["image"]) == "nginx:1.25"), "broken pods to go", Generous);
    }

    [Fact]
    public async Task A_crashloop_revision_shows_crash_loop_back_off_and_to_revision_rolls_back()
    {
        await using var harness = await StartAsync();
        await CreateDeploymentAsync(harness, "api", "nginx:1.25", 1);
        (await harness.KubectlAsync("rollout", "status", "deployment/api", "--timeout=60s")).ShouldSucceed();
        (await harness.KubectlAsync("patch", "deployment", "api", "--type=merge", "-p",
            """{"spec":{"template":{"metadata":{"annotations":{"sim.incidentresponder.dev/fault":"crashloop"}}}}}""")).ShouldSucceed();
        (await harness.KubectlAsync("set", "image", "deployment/api", "nginx=nginx:1.26")).ShouldSucceed();

        // Revision 2 (annotation only) crashes too, but revision 3 replaces its pods: look at a revision-3 pod.
        bool CrashingRevision3(JsonObject p) =>
            Str(p["spec"]?["containers"]?[0]?["image"]) == "nginx:1.26"
            && Str(p["status"]?["containerStatuses"]?[0]?["state"]?["waiting"]?["reason"]) == "CrashLoopBackOff"
            && p["status"]?["containerStatuses"]?[0]?["restartCount"]?.GetValue<int>() >= 1;
        await Eventually.TrueAsync(() => Pods(harness).Any(CrashingRevision3), "a revision-3 pod in CrashLoopBackOff", Generous);
        var crashing = Pods(harness).First(CrashingRevision3);
        var name = Str(crashing["metadata"]!["name"])!;
        var lastState = crashing["status"]!["containerStatuses"]![0]!["lastState"]!["terminated"]!;
        Assert.Equal(("Error", 1), (Str(lastState["reason"]), lastState["exitCode"]!.GetValue<int>()));

        var get = (await harness.KubectlAsync("get", "pod", name, "--no-headers")).ShouldSucceed().Stdout;
        Assert.Matches(@"0/1\s+CrashLoopBackOff\s+\d+", get);
        var describe = (await harness.KubectlAsync("describe", "pod", name)).ShouldSucceed().Stdout;
        Assert.Contains("Back-off restarting failed container nginx in pod", describe, StringComparison.Ordinal);
        var previous = (await harness.KubectlAsync("logs", name, "--previous")).ShouldSucceed().Stdout;
        Assert.Contains("FATAL", previous, StringComparison.Ordinal);

        (await harness.KubectlAsync("rollout", "undo", "deployment/api", "--to-revision=1")).ShouldSucceed();
        (await harness.KubectlWithTimeoutAsync(Generous, "rollout", "status", "deployment/api", "--timeout=50s")).ShouldSucceed();
        Assert.Equal("nginx:1.25", (await harness.KubectlAsync("get", "deployment", "api", "-o", "jsonpath={.spec.template.spec.containers[0].image}")).ShouldSucceed().Stdout);
    }

    [Fact]
    public async Task Annotating_running_pods_with_oom_kills_them_without_a_new_revision()
    {
        await using var harness = await StartAsync();
        await CreateDeploymentAsync(harness, "cache", "redis:7", 1);
        (await harness.KubectlAsync("rollout", "status", "deployment/cache", "--timeout=60s")).ShouldSucceed();

        (await harness.KubectlAsync("annotate", "pods", "-l", "app=cache", "sim.incidentresponder.dev/fault=oom")).ShouldSucceed();

        await Eventually.TrueAsync(() => Pods(harness).Any(p => Str(p["status"]?["containerStatuses"]?[0]?["lastState"]?["terminated"]?["reason"]) == "OOMKilled"), "an OOMKilled container", Generous);
        var pod = Pods(harness).Single();
        Assert.Equal(137, pod["status"]!["containerStatuses"]![0]!["lastState"]!["terminated"]!["exitCode"]!.GetValue<int>());
        Assert.Equal("1", (await harness.KubectlAsync("get", "deployment", "cache", "-o", "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}")).ShouldSucceed().Stdout);

        var nodeEvents = (await harness.KubectlAsync("get", "events", "-n", "default", "--field-selector", "reason=OOMKilling", "-o", "jsonpath={.items[0].involvedObject.kind} {.items[0].source.component}")).ShouldSucceed();
        Assert.Equal("Node kernel-monitor", nodeEvents.Stdout);
    }

    [Fact]
    public async Task Scale_wait_and_cascading_delete()
    {
        await using var harness = await StartAsync();
        await CreateDeploymentAsync(harness, "web", "nginx:1.25", 1);
        (await harness.KubectlAsync("scale", "deployment/web", "--replicas=4")).ShouldSucceed();
        (await harness.KubectlAsync("wait", "--for=condition=Available", "deployment/web", "--timeout=50s")).ShouldSucceed();
        (await harness.KubectlWithTimeoutAsync(Generous, "rollout", "status", "deployment/web", "--timeout=50s")).ShouldSucceed();
        Assert.Equal(4, Pods(harness).Count);

        (await harness.KubectlAsync("scale", "deployment/web", "--replicas=2")).ShouldSucceed();
        await Eventually.TrueAsync(() => Pods(harness).Count == 2, "scale down to 2 pods", Generous);

        (await harness.KubectlAsync("rollout", "restart", "deployment/web")).ShouldSucceed();
        (await harness.KubectlWithTimeoutAsync(Generous, "rollout", "status", "deployment/web", "--timeout=50s")).ShouldSucceed();
        Assert.Equal("2", (await harness.KubectlAsync("get", "deployment", "web", "-o", "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}")).ShouldSucceed().Stdout);

        (await harness.KubectlWithTimeoutAsync(Generous, "delete", "deployment", "web")).ShouldSucceed();
        await Eventually.TrueAsync(() => harness.Cluster.Store.List(BuiltinResources.ReplicaSets, "default").Count == 0 && Pods(harness).Count == 0, "cascading deletion", Generous);
    }

    [Fact]
    public async Task Pausing_the_controllers_freezes_the_cluster()
    {
        await using var harness = await StartAsync();
        harness.Cluster.Hooks.PauseControllers();
        await CreateDeploymentAsync(harness, "web", "nginx:1.25", 1);
        var frozen = await harness.KubectlAsync("rollout", "status", "deployment/web", "--timeout=2s");
        Assert.NotEqual(0, frozen.ExitCode);
        Assert.Empty(harness.Cluster.Store.List(BuiltinResources.ReplicaSets, "default"));

        harness.Cluster.Hooks.ResumeControllers();
        (await harness.KubectlWithTimeoutAsync(Generous, "rollout", "status", "deployment/web", "--timeout=50s")).ShouldSucceed();
    }
}
