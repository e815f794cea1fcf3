#pragma warning disable CS0618 // WatchAsync over a list response is what operators built on KubernetesClient 21 use today.
using System.Net;
using IncidentResponder.Simulator.Storage;
using k8s;
using k8s.Autorest;
using k8s.Models;
using WatchEventType = k8s.WatchEventType;

namespace IncidentResponder.Simulator.Tests;

/// <summary>KubernetesClient 21 against the simulator: the semantics an operator's correctness depends on.</summary>
public sealed class KubernetesClientTests
{
    private static V1ConfigMap ConfigMap(string name, string value = "1") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["app"] = "demo" } },
        Data = new Dictionary<string, string> { ["value"] = value },
    };

    [Fact]
    public async Task List_then_watch_from_the_list_version_sees_later_changes_and_bookmarks()
    {
        await using var harness = await ClusterHarness.StartAsync(new SimulatorOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) });
        using var client = harness.Client();
        var ct = TestContext.Current.CancellationToken;
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default", cancellationToken: ct);
        var list = await client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: "app=demo", cancellationToken: ct);
        Assert.Single(list.Items);
        Assert.Null(list.Items[0].Kind);

        var events = new List<(WatchEventType Type, string? Name, string? Version)>();
        using var response = client.CoreV1.ListNamespacedConfigMapWithHttpMessagesAsync(
            "default", watch: true, resourceVersion: list.Metadata.ResourceVersion, allowWatchBookmarks: true, timeoutSeconds: 30, cancellationToken: ct);
        var watchTask = Task.Run(async () =>
        {
            await foreach (var (type, item) in response.WatchAsync<V1ConfigMap, V1ConfigMapList>(cancellationToken: ct))
            {
                lock (events)
                {
                    events.Add((type, item.Metadata?.Name, item.Metadata?.ResourceVersion));
                }

                if (type == WatchEventType.Bookmark)
                {
                    break;
                }
            }
        }, ct);
        await Eventually.TrueAsync(() => harness.Cluster.Hooks.OpenWatchCount() > 0, "the watch to open", TimeSpan.FromSeconds(10));
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b"), "default", cancellationToken: ct);
        await watchTask.WaitAsync(TimeSpan.FromSeconds(20), ct);

        Assert.Equal((WatchEventType.Added, "b"), (events[0].Type, events[0].Name));
        Assert.Equal(WatchEventType.Bookmark, events[^1].Type);
        Assert.True(long.Parse(events[^1].Version!) >= long.Parse(events[0].Version!));
    }

    [Fact]
    public async Task Watch_replays_changes_after_a_resource_version()
    {
        await using var harness = await ClusterHarness.StartAsync();
        using var client = harness.Client();
        var ct = TestContext.Current.CancellationToken;
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default", cancellationToken: ct);
        created.Data["value"] = "2";
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "a", "default", cancellationToken: ct);
        await client.CoreV1.DeleteNamespacedConfigMapAsync("a", "default", cancellationToken: ct);

        var seen = new List<(WatchEventType, string)>();
        using var response = client.CoreV1.ListNamespacedConfigMapWithHttpMessagesAsync(
            "default", watch: true, resourceVersion: created.Metadata.ResourceVersion, timeoutSeconds: 1, cancellationToken: ct);
        await foreach (var (type, item) in response.WatchAsync<V1ConfigMap, V1ConfigMapList>(cancellationToken: ct))
        {
            seen.Add((type, item.Data["value"]));
        }

        Assert.Equal([(WatchEventType.Modified, "2"), (WatchEventType.Deleted, "2")], seen);
    }

    [Fact]
    public async Task Watch_from_a_compacted_version_gets_expired()
    {
        await using var harness = await ClusterHarness.StartAsync();
        using var client = harness.Client();
        var ct = TestContext.Current.CancellationToken;
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default", cancellationToken: ct);
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b"), "default", cancellationToken: ct);
        harness.Cluster.Hooks.CompactWatchHistory();

        Exception? error = null;
        using var response = client.CoreV1.ListNamespacedConfigMapWithHttpMessagesAsync(
            "default", watch: true, resourceVersion: created.Metadata.ResourceVersion, timeoutSeconds: 5, cancellationToken: ct);
        var events = 0;
        await foreach (var _ in response.WatchAsync<V1ConfigMap, V1ConfigMapList>(onError: e => error = e, cancellationToken: ct))
        {
            events++;
        }

        Assert.Equal(0, events);
        var expired = Assert.IsType<KubernetesException>(error);
        Assert.Equal(410, expired.Status.Code);
        Assert.Equal("Expired", expired.Status.Reason);
        Assert.StartsWith($"too old resource version: {created.Metadata.ResourceVersion} (", expired.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stale_update_is_a_conflict()
    {
        await using var harness = await ClusterHarness.StartAsync();
        using var client = harness.Client();
        var ct = TestContext.Current.CancellationToken;
        var first = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default", cancellationToken: ct);
        var stale = await client.CoreV1.ReadNamespacedConfigMapAsync("a", "default", cancellationToken: ct);
        first.Data["value"] = "2";
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(first, "a", "default", cancellationToken: ct);

        stale.Data["value"] = "3";
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReplaceNamespacedConfigMapAsync(stale, "a", "default", cancellationToken: ct));
        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        Assert.Contains("Operation cannot be fulfilled on configmaps \\\"a\\\": the object has been modified; please apply your changes to the latest version and try again", error.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_and_spec_are_isolated_and_status_never_bumps_generation()
    {
        await using var harness = await ClusterHarness.StartAsync();
        using var client = harness.Client();
        var ct = TestContext.Current.CancellationToken;
        var deployment = new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
            Spec = new V1DeploymentSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx:1.25" }] },
                },
            },
            Status = new V1DeploymentStatus { Replicas = 9 },
        };
        var created = await client.AppsV1.CreateNamespacedDeploymentAsync(deployment, "default", cancellationToken: ct);
        Assert.Null(created.Status?.Replicas);
        Assert.Equal(1, created.Metadata.Generation);

        created.Status = new V1DeploymentStatus { Replicas = 3, ObservedGeneration = 1 };
        created.Spec.Replicas = 10;
        var afterStatus = await client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(created, "web", "default", cancellationToken: ct);
        Assert.Equal(3, afterStatus.Status.Replicas);
        Assert.Equal(1, afterStatus.Spec.Replicas);
        Assert.Equal(1, afterStatus.Metadata.Generation);
        Assert.NotEqual(created.Metadata.ResourceVersion, afterStatus.Metadata.ResourceVersion);

        afterStatus.Spec.Replicas = 4;
        afterStatus.Status.Replicas = 0;
        var afterSpec = await client.AppsV1.ReplaceNamespacedDeploymentAsync(afterStatus, "web", "default", cancellationToken: ct);
        Assert.Equal(4, afterSpec.Spec.Replicas);
        Assert.Equal(3, afterSpec.Status.Replicas);
        Assert.Equal(2, afterSpec.Metadata.Generation);

        var noOp = await client.AppsV1.ReplaceNamespacedDeploymentAsync(afterSpec, "web", "default", cancellationToken: ct);
        Assert.Equal(afterSpec.Metadata.ResourceVersion, noOp.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Lease_create_and_update_races_have_one_winner()
    {
        await using var harness = await ClusterHarness.StartAsync();
        using var one = harness.Client();
        using var two = harness.Client();
        var ct = TestContext.Current.CancellationToken;
        V1Lease Lease(string holder) => new()
        {
            Metadata = new V1ObjectMeta { Name = "leader", NamespaceProperty = "default" },
            Spec = new V1LeaseSpec { HolderIdentity = holder, LeaseDurationSeconds = 15, AcquireTime = DateTime.UtcNow, RenewTime = DateTime.UtcNow },
        };

        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => one.CoordinationV1.ReadNamespacedLeaseAsync("leader", "default", cancellationToken: ct));
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);

        var creates = await Task.WhenAll(
            Attempt(() => one.CoordinationV1.CreateNamespacedLeaseAsync(Lease("one"), "default", cancellationToken: ct)),
            Attempt(() => two.CoordinationV1.CreateNamespacedLeaseAsync(Lease("two"), "default", cancellationToken: ct)));
        Assert.Single(creates, c => c is null);
        Assert.Single(creates, c => c == HttpStatusCode.Conflict);

        var seenByOne = await one.CoordinationV1.ReadNamespacedLeaseAsync("leader", "default", cancellationToken: ct);
        var seenByTwo = await two.CoordinationV1.ReadNamespacedLeaseAsync("leader", "default", cancellationToken: ct);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", harness.Cluster.Store.Get(BuiltinResources.Leases, "default", "leader")!["spec"]!["renewTime"]!.GetValue<string>());
        // Both try to take over the lease they read at the same version: exactly one write can win.
        seenByOne.Spec.HolderIdentity = "one-takeover";
        seenByTwo.Spec.HolderIdentity = "two-takeover";
        var updates = await Task.WhenAll(
            Attempt(() => one.CoordinationV1.ReplaceNamespacedLeaseAsync(seenByOne, "leader", "default", cancellationToken: ct)),
            Attempt(() => two.CoordinationV1.ReplaceNamespacedLeaseAsync(seenByTwo, "leader", "default", cancellationToken: ct)));
        Assert.Single(updates, c => c is null);
        Assert.Single(updates, c => c == HttpStatusCode.Conflict);
    }

    private static async Task<HttpStatusCode?> Attempt(Func<Task> call)
    {
        try
        {
            await call();
            return null;
        }
        catch (HttpOperationException error)
        {
            return error.Response.StatusCode;
        }
    }
}
