using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IncidentResponder.Simulator.Tests;

/// <summary>
/// core/v1 Events filtered by the API server, as an informer over node-problem-detector's OOMKilling reports asks for
/// them: kube-apiserver's event field set (involvedObject.*, reason, reportingComponent, source, type) on list and watch.
/// </summary>
public sealed class EventFieldSelectorTests
{
    private const string OomOnNodes = "involvedObject.kind=Node,reason=OOMKilling";

    private static Corev1Event Event(string name, string kind, string involved, string reason) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        InvolvedObject = new V1ObjectReference { Kind = kind, Name = involved },
        Reason = reason,
        Type = "Warning",
        Message = "Memory cgroup out of memory: Killed process 1234 (java)",
        Source = new V1EventSource { Component = "kernel-monitor", Host = "node-1" },
        LastTimestamp = DateTime.UtcNow,
    };

    [Fact]
    public async Task List_returns_only_events_matching_every_term()
    {
        await using var harness = await ClusterHarness.StartAsync();
        using var client = harness.Client();
        var ct = TestContext.Current.CancellationToken;
        await client.CoreV1.CreateNamespacedEventAsync(Event("node-oom", "Node", "node-1", "OOMKilling"), "default", cancellationToken: ct);
        await client.CoreV1.CreateNamespacedEventAsync(Event("pod-oom", "Pod", "web-1", "OOMKilling"), "default", cancellationToken: ct);
        await client.CoreV1.CreateNamespacedEventAsync(Event("node-other", "Node", "node-1", "SystemOOM"), "default", cancellationToken: ct);

        var list = await client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: OomOnNodes, cancellationToken: ct);
        var bySource = await client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "source=kernel-monitor,reason!=SystemOOM", cancellationToken: ct);

        Assert.Equal(["node-oom"], list.Items.Select(e => e.Metadata.Name));
        Assert.Equal(["node-oom", "pod-oom"], bySource.Items.Select(e => e.Metadata.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Watch_delivers_only_matching_events()
    {
        await using var harness = await ClusterHarness.StartAsync();
        using var client = harness.Client();
        var ct = TestContext.Current.CancellationToken;
        var list = await client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: OomOnNodes, cancellationToken: ct);

        var seen = new List<string>();
        var watch = Task.Run(async () =>
        {
            await foreach (var (_, item) in client.CoreV1.WatchListNamespacedEventAsync("default", fieldSelector: OomOnNodes,
                resourceVersion: list.Metadata.ResourceVersion, timeoutSeconds: 30, cancellationToken: ct))
            {
                seen.Add(item.Metadata.Name);
                break;
            }
        }, ct);
        await Eventually.TrueAsync(() => harness.Cluster.Hooks.OpenWatchCount() > 0, "the watch to open", TimeSpan.FromSeconds(10));
        // Created first, so a watch that ignored the selector would report it first.
        await client.CoreV1.CreateNamespacedEventAsync(Event("pod-oom", "Pod", "web-1", "OOMKilling"), "default", cancellationToken: ct);
        await client.CoreV1.CreateNamespacedEventAsync(Event("node-oom", "Node", "node-1", "OOMKilling"), "default", cancellationToken: ct);
        await watch.WaitAsync(TimeSpan.FromSeconds(20), ct);

        Assert.Equal(["node-oom"], seen);
    }

    [Fact]
    public async Task Selecting_events_by_a_field_they_do_not_have_is_rejected()
    {
        await using var harness = await ClusterHarness.StartAsync();
        using var client = harness.Client();

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "message=oom", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.BadRequest, error.Response.StatusCode);
        Assert.Contains("field label not supported: message", error.Response.Content, StringComparison.Ordinal);
    }
}
