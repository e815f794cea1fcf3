using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.Kubelet;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator.Tests.Workloads;

/// <summary>A simulated cluster whose kubelet runs 20x faster than real time, and small readers of its store.</summary>
internal static class WorkloadHarness
{
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    /// <param name="options">Cluster options (a fake clock, more nodes).</param>
    /// <param name="speedFactor">Kubelet speed: 20 on the real clock; 1 on a fake clock, where the test moves time itself.</param>
    public static Task<ClusterHarness> StartAsync(SimulatorOptions? options = null, double speedFactor = 20) =>
        ClusterHarness.StartAsync((options ?? new SimulatorOptions()).AddControllers(new ControllerManagerOptions
        {
            Kubelet = new KubeletSettings { SpeedFactor = speedFactor, StartupDelay = TimeSpan.FromSeconds(4), CrashAfter = TimeSpan.FromSeconds(4) },
            JobFailureBackOff = TimeSpan.FromMilliseconds(500),
        }));

    public static IReadOnlyList<JsonObject> Pods(ClusterHarness harness) => harness.Cluster.Store.List(BuiltinResources.Pods, "default");

    public static JsonObject? Pod(ClusterHarness harness, string name) => harness.Cluster.Store.Get(BuiltinResources.Pods, "default", name);

    public static string? Str(JsonNode? node) => node?.GetValue<string>();

    public static string? Label(JsonObject? obj, string key) => Str(obj?["metadata"]?["labels"]?[key]);

    public static string? WaitingReason(JsonObject? pod) => Str(pod?["status"]?["containerStatuses"]?[0]?["state"]?["waiting"]?["reason"]);
}
