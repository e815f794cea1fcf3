using IncidentResponder.Runtime.Informers;
using IncidentResponder.Runtime.Tests.Support;
using k8s.Models;

namespace IncidentResponder.Runtime.Tests.Informers;

[Collection(SerialCollection.Name)]
public sealed class ProjectionMemoryTests
{
    [Fact]
    public void A_cached_pod_projection_costs_at_most_2_KiB()
    {
        const int pods = 20_000;
        var pool = new StringPool();
        var store = new Store<PodSummary>();
        store.AddIndexer(Indexers.ByControllerOwner, Indexers.ControllerOwner);

        // Realistic pods: 100 ReplicaSets of 200 pods, five labels, two containers, a large spec and annotations
        // that the projection must drop. Each full pod is built, projected and discarded, as the informer does.
        var before = SettledHeap();
        for (var i = 0; i < pods; i++)
        {
            store.Upsert(PodSummary.From(RealisticPod(i), pool));
        }

        var after = SettledHeap();
        var perPod = (after - before) / (double)pods;
        TestContext.Current.TestOutputHelper?.WriteLine($"[memory] {perPod:F0} bytes per cached pod (store + owner index + string pool) over {pods} pods");
        Assert.Equal(pods, store.Count);
        Assert.True(perPod <= 2048, $"{perPod:F0} bytes per pod");
        GC.KeepAlive(store);
    }

    private static V1Pod RealisticPod(int i)
    {
        var rs = $"web-{i / 200:D3}-7d9f8c6b5";
        return new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = $"{rs}-{i:x5}",
                NamespaceProperty = $"team-{i % 20}",
                Uid = Guid.NewGuid().ToString(),
                ResourceVersion = (1_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Labels = new Dictionary<string, string>
                {
                    ["app"] = $"web-{i / 200:D3}",
                    ["pod-template-hash"] = "7d9f8c6b5",
                    ["app.kubernetes.io/part-of"] = "shop",
                    ["app.kubernetes.io/version"] = "1.4.2",
                    ["tier"] = "frontend",
                },
                Annotations = new Dictionary<string, string> { ["kubectl.kubernetes.io/last-applied-configuration"] = new string('x', 3000) },
                OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = rs, Uid = $"uid-{rs}", Controller = true, BlockOwnerDeletion = true }],
            },
            Spec = new V1PodSpec
            {
                NodeName = $"node-{i % 50}",
                Containers =
                [
                    new V1Container { Name = "app", Image = "registry.example.com/shop/web:1.4.2", Env = [.. Enumerable.Range(0, 20).Select(e => new V1EnvVar { Name = $"VAR_{e}", Value = $"value-{e}" })] },
                    new V1Container { Name = "sidecar", Image = "registry.example.com/proxy:2.1" },
                ],
            },
            Status = new V1PodStatus
            {
                Phase = "Running",
                PodIP = $"10.0.{i / 250 % 250}.{i % 250}",
                ContainerStatuses =
                [
                    new V1ContainerStatus { Name = "app", Ready = true, RestartCount = i % 3, Image = "web:1.4.2", ImageID = "sha256:abc", State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = DateTime.UtcNow } } },
                    new V1ContainerStatus { Name = "sidecar", Ready = true, RestartCount = 0, Image = "proxy:2.1", ImageID = "sha256:def", State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = DateTime.UtcNow } } },
                ],
            },
        };
    }

    private static long SettledHeap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
