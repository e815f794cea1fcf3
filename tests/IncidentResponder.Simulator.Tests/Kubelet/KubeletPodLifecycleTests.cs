using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.Kubelet;
using IncidentResponder.Simulator.Storage;
using k8s.Models;

namespace IncidentResponder.Simulator.Tests.Kubelet;

public sealed class KubeletPodLifecycleTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly KubeletSettings Settings = new()
    {
        StartupDelay = TimeSpan.FromSeconds(2), CrashAfter = TimeSpan.FromSeconds(3), PullErrorToBackOff = TimeSpan.FromSeconds(1),
    };

    private static readonly V1Node Node = SimulatedNodes.Create(1, T0);

    private static V1Pod Pod(string? fault = null, string? after = null, V1Probe? readiness = null, string? memoryLimit = null)
    {
        var annotations = new Dictionary<string, string>();
        if (fault is not null)
        {
            annotations[FaultSpec.FaultAnnotation] = fault;
        }

        if (after is not null)
        {
            annotations[FaultSpec.FaultAfterAnnotation] = after;
        }

        return new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web-abc12", NamespaceProperty = "shop", Uid = "pod-uid-1", Annotations = annotations, ResourceVersion = "5" },
            Spec = new V1PodSpec
            {
                NodeName = Node.Metadata.Name,
                Containers =
                [
                    new V1Container
                    {
                        Name = "app", Image = "nginx:1.25", ReadinessProbe = readiness,
                        Resources = memoryLimit is null ? null : new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new(memoryLimit) } },
                    },
                ],
            },
        };
    }

    /// <summary>Runs the kubelet at each given second, feeding back status and memory as the host does.</summary>
    private static (V1Pod Pod, PodMemory Memory, List<ControllerWrite> Writes, PodSync Last) Run(V1Pod pod, params double[] seconds)
    {
        PodMemory? memory = null;
        var all = new List<ControllerWrite>();
        PodSync? last = null;
        foreach (var second in seconds)
        {
            last = PodLifecycle.Advance(pod, Node, memory, T0.AddSeconds(second), Settings);
            memory = last.Memory;
            all.AddRange(last.Writes);
            if (last.Writes.OfType<UpdateStatus>().SingleOrDefault() is { Object: V1Pod updated })
            {
                pod = updated;
            }
        }

        return (pod, memory!, all, last!);
    }

    private static V1ContainerStatus App(V1Pod pod) => Assert.Single(pod.Status.ContainerStatuses);

    private static List<EventSpec> Events(IEnumerable<ControllerWrite> writes) => writes.OfType<RecordEvent>().Select(r => r.Event).ToList();

    [Fact]
    public void A_healthy_pod_is_container_creating_then_running_and_ready()
    {
        var (creating, _, _, first) = Run(Pod(), 0);
        Assert.Equal("Pending", creating.Status.Phase);
        Assert.Equal("ContainerCreating", App(creating).State.Waiting.Reason);
        Assert.False(App(creating).Ready);
        Assert.Equal(T0.AddSeconds(2), first.WakeAt);

        var (running, _, writes, _) = Run(Pod(), 0, 2);
        Assert.Equal("Running", running.Status.Phase);
        var app = App(running);
        Assert.NotNull(app.State.Running);
        Assert.True(app.Ready);
        Assert.True(app.Started);
        Assert.Equal(0, app.RestartCount);
        Assert.Equal("docker.io/library/nginx:1.25", app.Image);
        Assert.StartsWith("docker.io/library/nginx@sha256:", app.ImageID, StringComparison.Ordinal);
        Assert.Matches("^containerd://[0-9a-f]{64}$", app.ContainerID);
        Assert.StartsWith("10.244.1.", running.Status.PodIP, StringComparison.Ordinal);
        Assert.Equal("172.18.0.2", running.Status.HostIP);
        Assert.Equal("BestEffort", running.Status.QosClass);
        Assert.All(new[] { "Ready", "ContainersReady", "Initialized", "PodScheduled", "PodReadyToStartContainers" },
            type => Assert.Equal("True", PodConditions.Find(running, type)!.Status));

        Assert.Equal(["Pulling", "Pulled", "Created", "Started"], Events(writes).Select(e => e.Reason));
        Assert.Equal(["Pulling image \"nginx:1.25\"", "Created container: app", "Started container app"],
            Events(writes).Where(e => e.Reason != "Pulled").Select(e => e.Message));
        Assert.All(Events(writes), e =>
        {
            Assert.Equal(("Pod", "pod-uid-1", "spec.containers{app}", "kubelet", "sim-node-1"), (e.InvolvedObject.Kind, e.InvolvedObject.Uid, e.InvolvedObject.FieldPath, e.Component, e.Host));
        });
        Assert.Contains(writes.OfType<AppendLog>(), log => log.Line.Contains("listening on", StringComparison.Ordinal) && log.Container == "app" && log.Namespace == "shop");
    }

    [Fact]
    public void A_no_change_sync_writes_nothing()
    {
        var (pod, memory, _, _) = Run(Pod(), 0, 2);
        var again = PodLifecycle.Advance(pod, Node, memory, T0.AddSeconds(100), Settings);
        Assert.Empty(again.Writes);
        Assert.Null(again.WakeAt);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(3, 40)]
    [InlineData(5, 160)]
    [InlineData(6, 300)]
    [InlineData(20, 300)]
    public void Crash_back_off_doubles_from_ten_seconds_to_five_minutes(int restartCount, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), new KubeletSettings().CrashBackOff(restartCount));
    }

    [Fact]
    public void Crashloop_restarts_once_at_once_then_backs_off_with_crash_loop_back_off()
    {
        // Started at 2 s, first crash at 5 s (restarted at once), second crash at 8 s (back-off 10 s until 18 s).
        var (afterFirstCrash, _, _, _) = Run(Pod("crashloop"), 0, 5);
        var first = App(afterFirstCrash);
        Assert.Equal(1, first.RestartCount);
        Assert.NotNull(first.State.Running);
        Assert.Equal(("Error", 1), (first.LastState.Terminated.Reason, first.LastState.Terminated.ExitCode));

        var (backingOff, _, writes, sync) = Run(Pod("crashloop"), 0, 9);
        var app = App(backingOff);
        Assert.Equal("CrashLoopBackOff", app.State.Waiting.Reason);
        Assert.Equal("back-off 10s restarting failed container=app pod=web-abc12_shop(pod-uid-1)", app.State.Waiting.Message);
        Assert.Equal(1, app.RestartCount);
        Assert.False(app.Ready);
        Assert.False(app.Started);
        Assert.Equal(("Error", 1, T0.AddSeconds(8).UtcDateTime), (app.LastState.Terminated.Reason, app.LastState.Terminated.ExitCode, app.LastState.Terminated.FinishedAt!.Value));
        Assert.Equal("Running", backingOff.Status.Phase);
        var notReady = PodConditions.Find(backingOff, "Ready")!;
        Assert.Equal(("False", "ContainersNotReady", "containers with unready status: [app]"), (notReady.Status, notReady.Reason, notReady.Message));
        var backOff = Assert.Single(Events(writes), e => e.Reason == "BackOff");
        Assert.Equal(("Warning", "Back-off restarting failed container app in pod web-abc12_shop(pod-uid-1)"), (backOff.Type, backOff.Message));
        Assert.Equal(T0.AddSeconds(18), sync.WakeAt);
        Assert.Contains(writes.OfType<AppendLog>(), log => log.Line.Contains("FATAL", StringComparison.Ordinal));
        // Only the restart at 5 s began a new log instance; the one due at 18 s has not happened yet.
        Assert.Equal("app", Assert.Single(writes.OfType<RotateLog>()).Container);
    }

    [Fact]
    public void Restart_count_keeps_rising_with_longer_back_offs()
    {
        // Runs: 2-5, 5-8, back-off 10 → 18-21, back-off 20 → 41-44, back-off 40 → 84.
        var (pod, _, _, sync) = Run(Pod("crashloop"), 0, 50);
        var app = App(pod);
        Assert.Equal(3, app.RestartCount);
        Assert.Equal("back-off 40s restarting failed container=app pod=web-abc12_shop(pod-uid-1)", app.State.Waiting.Message);
        Assert.Equal(T0.AddSeconds(84), sync.WakeAt);
    }

    [Fact]
    public void The_speed_factor_shortens_waits_but_messages_keep_kubelet_durations()
    {
        var fast = Settings with { SpeedFactor = 10 };
        var pod = Pod("crashloop");
        PodMemory? memory = null;
        PodSync sync = null!;
        foreach (var ms in new[] { 0, 200, 500, 800, 900 })
        {
            sync = PodLifecycle.Advance(pod, Node, memory, T0.AddMilliseconds(ms), fast);
            memory = sync.Memory;
            if (sync.Writes.OfType<UpdateStatus>().SingleOrDefault() is { Object: V1Pod updated })
            {
                pod = updated;
            }
        }

        Assert.Equal("back-off 10s restarting failed container=app pod=web-abc12_shop(pod-uid-1)", App(pod).State.Waiting.Message);
        Assert.Equal(T0.AddMilliseconds(1800), sync.WakeAt);
    }

    [Fact]
    public void Oom_kills_report_oom_killed_and_an_oom_killing_event_on_the_node()
    {
        var (pod, _, writes, _) = Run(Pod("oom", memoryLimit: "256Mi"), 0, 9);
        var app = App(pod);
        Assert.Equal(("OOMKilled", 137), (app.LastState.Terminated.Reason, app.LastState.Terminated.ExitCode));
        Assert.Equal("CrashLoopBackOff", app.State.Waiting.Reason);
        Assert.Equal("Burstable", pod.Status.QosClass);

        var oom = Events(writes).Where(e => e.Reason == "OOMKilling").ToList();
        Assert.Equal(2, oom.Count);
        Assert.All(oom, e =>
        {
            Assert.Equal(("Node", "sim-node-1", "sim-node-1", "", "kernel-monitor", "Warning"), (e.InvolvedObject.Kind, e.InvolvedObject.Name, e.InvolvedObject.Uid, e.InvolvedObject.NamespaceProperty, e.Component, e.Type));
            Assert.StartsWith("Memory cgroup out of memory: Killed process ", e.Message, StringComparison.Ordinal);
            Assert.Contains("anon-rss:262144kB", e.Message, StringComparison.Ordinal);
        });
        Assert.Contains(Events(writes), e => e.Reason == "SystemOOM" && e.InvolvedObject.Kind == "Node");
        Assert.DoesNotContain(Events(writes), e => e.Reason == "OOMKilling" && e.InvolvedObject.Kind == "Pod");
        Assert.Equal("default", EventRecorder.EventNamespace(oom[0]));
    }

    [Fact]
    public void Image_pull_fails_with_err_image_pull_then_image_pull_back_off_and_the_pod_stays_pending()
    {
        var (pulling, _, writes, _) = Run(Pod("imagepull"), 0, 2);
        var app = App(pulling);
        Assert.Equal("ErrImagePull", app.State.Waiting.Reason);
        Assert.Contains("failed to pull and unpack image \"docker.io/library/nginx:1.25\"", app.State.Waiting.Message, StringComparison.Ordinal);
        Assert.Equal("Pending", pulling.Status.Phase);
        Assert.Equal("", app.ImageID);
        Assert.Contains(Events(writes), e => e.Reason == "Failed" && e.Message.StartsWith("Failed to pull image \"nginx:1.25\": rpc error: code = NotFound", StringComparison.Ordinal));
        Assert.Contains(Events(writes), e => e.Reason == "Failed" && e.Message == "Error: ErrImagePull");

        var (backOff, _, backOffWrites, sync) = Run(Pod("imagepull"), 0, 3);
        Assert.Equal(("ImagePullBackOff", "Back-off pulling image \"nginx:1.25\""), (App(backOff).State.Waiting.Reason, App(backOff).State.Waiting.Message));
        Assert.Contains(Events(backOffWrites), e => (e.Type, e.Reason, e.Message) == ("Normal", "BackOff", "Back-off pulling image \"nginx:1.25\""));
        Assert.Contains(Events(backOffWrites), e => (e.Type, e.Reason, e.Message) == ("Warning", "Failed", "Error: ImagePullBackOff"));
        Assert.Equal(T0.AddSeconds(13), sync.WakeAt);
        Assert.Empty(backOffWrites.OfType<AppendLog>());
    }

    [Fact]
    public void Removing_the_image_pull_fault_lets_the_next_pull_succeed()
    {
        var (pod, memory, _, _) = Run(Pod("imagepull"), 0, 3);
        pod.Metadata.Annotations[FaultSpec.FaultAnnotation] = "none";
        var fixedSync = PodLifecycle.Advance(pod, Node, memory, T0.AddSeconds(13), Settings);
        var status = Assert.IsType<V1Pod>(fixedSync.Writes.OfType<UpdateStatus>().Single().Object).Status;
        Assert.Equal("Running", status.Phase);
        Assert.Equal(0, status.ContainerStatuses[0].RestartCount);
    }

    [Fact]
    public void Unready_runs_but_fails_its_readiness_probe_repeatedly()
    {
        var probe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/ready", Port = (IntOrString)"8080" }, PeriodSeconds = 5 };
        var (pod, _, writes, sync) = Run(Pod("unready", readiness: probe), 0, 2, 7.5);
        var app = App(pod);
        Assert.NotNull(app.State.Running);
        Assert.False(app.Ready);
        Assert.True(app.Started);
        Assert.Equal("Running", pod.Status.Phase);
        Assert.Equal("False", PodConditions.Find(pod, "Ready")!.Status);
        var unhealthy = Events(writes).Where(e => e.Reason == "Unhealthy").ToList();
        Assert.Equal(2, unhealthy.Count);
        Assert.All(unhealthy, e => Assert.Equal(("Warning", "Readiness probe failed: HTTP probe failed with statuscode: 503"), (e.Type, e.Message)));
        Assert.Equal(T0.AddSeconds(12), sync.WakeAt);
    }

    [Fact]
    public void Fault_after_keeps_the_pod_healthy_until_the_delay_passes()
    {
        var (healthy, memory, _, sync) = Run(Pod("crashloop", after: "1m"), 0, 2, 30);
        Assert.True(App(healthy).Ready);
        Assert.Equal(T0.AddSeconds(60), sync.WakeAt);

        var crashed = PodLifecycle.Advance(healthy, Node, memory, T0.AddSeconds(60), Settings);
        var status = Assert.IsType<V1Pod>(crashed.Writes.OfType<UpdateStatus>().Single().Object).Status.ContainerStatuses[0];
        Assert.Equal((1, "Error"), (status.RestartCount, status.LastState.Terminated.Reason));
    }

    [Fact]
    public void Annotating_a_running_pod_makes_it_fail_without_a_new_pod()
    {
        var (pod, memory, _, _) = Run(Pod(), 0, 2, 100);
        pod.Metadata.Annotations[FaultSpec.FaultAnnotation] = "oom";

        var sync = PodLifecycle.Advance(pod, Node, memory, T0.AddSeconds(200), Settings);
        var status = Assert.IsType<V1Pod>(sync.Writes.OfType<UpdateStatus>().Single().Object).Status.ContainerStatuses[0];
        Assert.Equal(("OOMKilled", 137, 1), (status.LastState.Terminated.Reason, status.LastState.Terminated.ExitCode, status.RestartCount));
        Assert.Equal(T0.AddSeconds(200).UtcDateTime, status.LastState.Terminated.FinishedAt);
    }

    [Fact]
    public void Restart_policy_never_leaves_a_failed_pod()
    {
        var pod = Pod("crashloop");
        pod.Spec.RestartPolicy = "Never";
        var (failed, _, _, sync) = Run(pod, 0, 6);
        Assert.Equal("Failed", failed.Status.Phase);
        Assert.Equal(("Error", 1), (App(failed).State.Terminated.Reason, App(failed).State.Terminated.ExitCode));
        Assert.Null(sync.WakeAt);
    }

    [Fact]
    public void Terminating_a_pod_stops_its_containers_and_deletes_it()
    {
        var (pod, memory, _, _) = Run(Pod(), 0, 2);
        var writes = PodLifecycle.Terminate(pod, memory, T0.AddSeconds(10));
        Assert.Equal("Stopping container app", Assert.Single(Events(writes)).Message);
        Assert.Equal(BuiltinResources.Pods, Assert.IsType<DeleteObject>(writes[^1]).Type);
    }

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("1m30s", 90)]
    [InlineData("1.5h", 5400)]
    [InlineData("500ms", 0.5)]
    [InlineData("0", 0)]
    public void Fault_after_accepts_go_durations(string text, double seconds)
    {
        Assert.True(FaultSpec.TryParseGoDuration(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("soon")]
    public void Malformed_durations_are_rejected(string text) => Assert.False(FaultSpec.TryParseGoDuration(text, out _));

    [Theory]
    [InlineData(10, "10s")]
    [InlineData(80, "1m20s")]
    [InlineData(300, "5m0s")]
    [InlineData(1.5, "1.5s")]
    public void Durations_print_like_go(double seconds, string expected) => Assert.Equal(expected, GoDuration.Format(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData("nginx", "docker.io/library/nginx:latest")]
    [InlineData("bitnami/redis:7", "docker.io/bitnami/redis:7")]
    [InlineData("ghcr.io/org/app:v1", "ghcr.io/org/app:v1")]
    [InlineData("localhost:5000/app", "localhost:5000/app:latest")]
    public void Images_are_normalized_like_containerd(string image, string expected) => Assert.Equal(expected, ContainerIdentity.NormalizeImage(image));
}
