using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.Http;
using IncidentResponder.Simulator.Kubelet;
using k8s.Models;

namespace IncidentResponder.Simulator.Tests.Monitoring;

/// <summary>The application faults a user cannot see in pod status: errors (a share of 5xx) and slow (added latency).</summary>
public sealed class ApplicationFaultTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static V1Pod Pod(Dictionary<string, string> annotations, string image = "nginx:1.25") => new()
    {
        Metadata = new V1ObjectMeta { Name = "web-abc12", NamespaceProperty = "shop", Uid = "pod-uid-1", Annotations = annotations, ResourceVersion = "5" },
        Spec = new V1PodSpec { NodeName = "sim-node-1", Containers = [new V1Container { Name = "app", Image = image }] },
    };

    [Fact]
    public void An_errors_fault_reads_its_ratio_and_a_slow_fault_its_latency_from_the_annotations()
    {
        var errors = FaultSpec.FromPod(Pod(new() { [FaultSpec.FaultAnnotation] = "errors", [FaultSpec.FaultRatioAnnotation] = "0.75" }));
        var slow = FaultSpec.FromPod(Pod(new() { [FaultSpec.FaultAnnotation] = "slow", [FaultSpec.FaultLatencyAnnotation] = "1m30s" }));

        Assert.Equal(FaultKind.Errors, errors.Kind);
        Assert.Equal(0.75, errors.ErrorRatio);
        Assert.Equal(FaultKind.Slow, slow.Kind);
        Assert.Equal(TimeSpan.FromSeconds(90), slow.Latency);
    }

    [Fact]
    public void Without_parameters_or_with_unreadable_ones_the_defaults_apply()
    {
        var errors = FaultSpec.FromPod(Pod(new() { [FaultSpec.FaultAnnotation] = "errors", [FaultSpec.FaultRatioAnnotation] = "1.5" }));
        var slow = FaultSpec.FromPod(Pod(new() { [FaultSpec.FaultAnnotation] = "slow", [FaultSpec.FaultLatencyAnnotation] = "soon" }));

        Assert.Equal(FaultSpec.DefaultErrorRatio, errors.ErrorRatio);
        Assert.Equal(0.3, FaultSpec.DefaultErrorRatio);
        Assert.Equal(FaultSpec.DefaultLatency, slow.Latency);
    }

    [Fact]
    public void The_sim_faults_config_map_gives_an_image_the_errors_or_slow_fault_with_default_parameters()
    {
        var data = new JsonObject { ["nginx:1.26"] = "errors", ["slow-web"] = "nginx:1.27=slow" };

        var errors = ImageFaults.Find(data, Pod([], "nginx:1.26"));
        var slow = ImageFaults.Find(data, Pod([], "nginx:1.27"));

        Assert.Equal(new FaultSpec(FaultKind.Errors, TimeSpan.Zero) { ErrorRatio = 0.3 }, errors);
        Assert.Equal(new FaultSpec(FaultKind.Slow, TimeSpan.Zero) { Latency = FaultSpec.DefaultLatency }, slow);
        Assert.Null(ImageFaults.Find(data, Pod([], "nginx:1.25")));
    }

    [Theory]
    [InlineData("errors")]
    [InlineData("slow")]
    public void A_pod_with_an_application_fault_stays_running_and_ready(string fault)
    {
        var pod = Pod(new() { [FaultSpec.FaultAnnotation] = fault });
        var node = SimulatedNodes.Create(1, T0);
        var settings = new KubeletSettings { StartupDelay = TimeSpan.FromSeconds(2) };
        PodMemory? memory = null;
        foreach (var second in new[] { 0, 2, 10, 60, 600 })
        {
            var sync = PodLifecycle.Advance(pod, node, memory, T0.AddSeconds(second), settings);
            memory = sync.Memory;
            if (sync.Writes.OfType<UpdateStatus>().SingleOrDefault() is { Object: V1Pod updated })
            {
                pod = updated;
            }
        }

        Assert.Equal("Running", pod.Status.Phase);
        Assert.True(PodConditions.IsReady(pod));
        Assert.Equal(0, Assert.Single(pod.Status.ContainerStatuses).RestartCount);
    }

    [Fact]
    public void An_errors_pod_fails_exactly_its_ratio_of_requests_spread_evenly()
    {
        var fault = FaultSpec.Parse("errors") with { ErrorRatio = 0.25 };

        var codes = Enumerable.Range(0, 100).Select(k => ProxyAnswer.For(fault, k).StatusCode).ToList();

        Assert.Equal(25, codes.Count(code => code == 503));
        Assert.Equal([200, 200, 200, 503], codes.Take(4));
        Assert.All(Enumerable.Range(0, 100), k => Assert.Equal(200, ProxyAnswer.For(FaultSpec.None, k).StatusCode));
    }

    [Fact]
    public void A_slow_pod_answers_ok_after_its_latency_bounded_so_a_typo_cannot_hang_a_request()
    {
        var answer = ProxyAnswer.For(FaultSpec.Parse("slow") with { Latency = TimeSpan.FromMilliseconds(800) }, 0);
        var bounded = ProxyAnswer.For(FaultSpec.Parse("slow") with { Latency = TimeSpan.FromHours(3) }, 0);

        Assert.Equal((200, "ok", TimeSpan.FromMilliseconds(800)), (answer.StatusCode, answer.Body, answer.Delay));
        Assert.Equal(ProxyAnswer.MaxDelay, bounded.Delay);
    }
}
