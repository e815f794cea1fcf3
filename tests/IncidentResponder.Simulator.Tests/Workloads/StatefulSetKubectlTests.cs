using IncidentResponder.Simulator.Storage;
using static IncidentResponder.Simulator.Tests.Workloads.WorkloadHarness;

namespace IncidentResponder.Simulator.Tests.Workloads;

/// <summary>StatefulSets through the real kubectl: ordered creation with claims, rollout status/history/undo, partitions and the stuck crash loop.</summary>
public sealed class StatefulSetKubectlTests
{
    private const string Web = """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: web
        spec:
          serviceName: web
          replicas: 3
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: nginx
                image: nginx:1.25
                # Longer than the simulated crash time: a crash-looping pod is never Ready, so OrderedReady waits on it.
                readinessProbe:
                  httpGet: {path: /, port: 80}
                  initialDelaySeconds: 10
          volumeClaimTemplates:
          - metadata:
              name: data
            spec:
              accessModes: [ReadWriteOnce]
              resources:
                requests:
                  storage: 1Gi
        """;

    private static async Task<ClusterHarness> StartWebAsync()
    {
        var harness = await StartAsync();
        (await harness.Kubectl.ApplyAsync(Web)).ShouldSucceed();
        var status = (await harness.KubectlWithTimeoutAsync(Generous, "rollout", "status", "statefulset/web", "--timeout=50s")).ShouldSucceed();
        Assert.Contains("partitioned roll out complete: 3 new pods have been updated", status.Stdout, StringComparison.Ordinal);
        return harness;
    }

    [Fact]
    public async Task A_statefulset_creates_stable_pods_in_order_each_with_its_bound_claim()
    {
        await using var harness = await StartWebAsync();

        var pods = (await harness.KubectlAsync("get", "pods", "-l", "app=web", "--no-headers", "-o", "custom-columns=NAME:.metadata.name,INDEX:.metadata.labels.apps\\.kubernetes\\.io/pod-index,POD:.metadata.labels.statefulset\\.kubernetes\\.io/pod-name,HOST:.spec.hostname,CLAIM:.spec.volumes[0].persistentVolumeClaim.claimName")).ShouldSucceed().Stdout;
        Assert.Equal(
            ["web-0 0 web-0 web-0 data-web-0", "web-1 1 web-1 web-1 data-web-1", "web-2 2 web-2 web-2 data-web-2"],
            pods.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries))));

        var claims = (await harness.KubectlAsync("get", "pvc", "-o", "jsonpath={range .items[*]}{.metadata.name}={.status.phase} {end}")).ShouldSucceed().Stdout;
        Assert.Equal("data-web-0=Bound data-web-1=Bound data-web-2=Bound", claims.Trim());
        Assert.Matches(@"^web\s+3/3\s+\d+s", (await harness.KubectlAsync("get", "sts", "web", "--no-headers")).ShouldSucceed().Stdout);
        Assert.Matches(@"^data-web-0\s+Bound\s+pvc-\w+\s+1Gi\s+RWO\s", (await harness.KubectlAsync("get", "pvc", "data-web-0", "--no-headers")).ShouldSucceed().Stdout);

        // OrderedReady: each pod is created only once the one before it is Running and Ready.
        for (var ordinal = 1; ordinal < 3; ordinal++)
        {
            var previousReady = DateTimeOffset.Parse(Str(Pod(harness, $"web-{ordinal - 1}")!["status"]!["conditions"]!.AsArray().First(c => Str(c!["type"]) == "Ready")!["lastTransitionTime"])!, System.Globalization.CultureInfo.InvariantCulture);
            var created = DateTimeOffset.Parse(Str(Pod(harness, $"web-{ordinal}")!["metadata"]!["creationTimestamp"])!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(created >= previousReady, $"web-{ordinal} was created at {created}, before web-{ordinal - 1} was ready at {previousReady}");
        }

        var status = (await harness.KubectlAsync("get", "sts", "web", "-o", "jsonpath={.status.replicas} {.status.readyReplicas} {.status.availableReplicas} {.status.currentReplicas} {.status.updatedReplicas} {.status.observedGeneration}")).ShouldSucceed().Stdout;
        Assert.Equal("3 3 3 3 3 1", status);
        var revisions = (await harness.KubectlAsync("get", "sts", "web", "-o", "jsonpath={.status.currentRevision} {.status.updateRevision}")).ShouldSucceed().Stdout.Split(' ');
        Assert.Equal(revisions[0], revisions[1]);
        Assert.All(Pods(harness), pod => Assert.Equal(revisions[0], Label(pod, "controller-revision-hash")));

        var revision = harness.Cluster.Store.Get(BuiltinResources.ControllerRevisions, "default", revisions[0])!;
        Assert.Equal(1, revision["revision"]!.GetValue<long>());
        Assert.Equal("replace", Str(revision["data"]!["spec"]!["template"]!["$patch"]));
        Assert.Equal(revisions[0], "web-" + Label(revision, "controller.kubernetes.io/hash"));
        Assert.Equal("StatefulSet", Str(revision["metadata"]!["ownerReferences"]![0]!["kind"]));
    }

    [Fact]
    public async Task An_image_change_rolls_in_reverse_order_and_undo_restores_the_previous_revision()
    {
        await using var harness = await StartWebAsync();
        var firstUids = Pods(harness).ToDictionary(p => Str(p["metadata"]!["name"])!, p => Str(p["metadata"]!["uid"]));

        (await harness.KubectlAsync("set", "image", "statefulset/web", "nginx=nginx:1.26")).ShouldSucceed();
        (await harness.KubectlWithTimeoutAsync(Generous, "rollout", "status", "statefulset/web", "--timeout=50s")).ShouldSucceed();
        await Eventually.TrueAsync(() => Pods(harness).Count == 3 && Pods(harness).All(p => Str(p["spec"]!["containers"]![0]!["image"]) == "nginx:1.26"), "every pod on nginx:1.26", Generous);

        // Reverse ordinal order: web-2 was replaced first, so it is the oldest of the new pods.
        var created = Enumerable.Range(0, 3).Select(i => Str(Pod(harness, $"web-{i}")!["metadata"]!["creationTimestamp"])!).ToList();
        Assert.True(string.CompareOrdinal(created[2], created[1]) <= 0 && string.CompareOrdinal(created[1], created[0]) <= 0, string.Join(", ", created));
        Assert.All(Pods(harness), p => Assert.NotEqual(firstUids[Str(p["metadata"]!["name"])!], Str(p["metadata"]!["uid"])));

        var history = (await harness.KubectlAsync("rollout", "history", "statefulset/web")).ShouldSucceed().Stdout;
        Assert.Matches(@"(?m)^1\s", history);
        Assert.Matches(@"(?m)^2\s", history);

        (await harness.KubectlAsync("rollout", "undo", "statefulset/web")).ShouldSucceed();
        (await harness.KubectlWithTimeoutAsync(Generous, "rollout", "status", "statefulset/web", "--timeout=50s")).ShouldSucceed();
        Assert.Equal("nginx:1.25", (await harness.KubectlAsync("get", "sts", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}")).ShouldSucceed().Stdout);
        await Eventually.TrueAsync(() => Pods(harness).Count == 3 && Pods(harness).All(p => Str(p["spec"]!["containers"]![0]!["image"]) == "nginx:1.25"), "every pod back on nginx:1.25", Generous);

        // The first revision is reused and renumbered, as upstream's history does: revisions 2 and 3 remain.
        var after = (await harness.KubectlAsync("rollout", "history", "statefulset/web")).ShouldSucceed().Stdout;
        Assert.DoesNotMatch(@"(?m)^1\s", after);
        Assert.Matches(@"(?m)^3\s", after);
        var undone = (await harness.KubectlAsync("rollout", "undo", "statefulset/web", "--to-revision=3")).ShouldSucceed().Stdout;
        Assert.Contains("skipped rollback (current template already matches revision 3)", undone, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_partition_updates_only_the_ordinals_at_or_above_it()
    {
        await using var harness = await StartWebAsync();
        (await harness.KubectlAsync("patch", "statefulset", "web", "--type=merge", "-p",
            """{"spec":{"updateStrategy":{"rollingUpdate":{"partition":2}},"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.26"}]}}}}""")).ShouldSucceed();

        var status = (await harness.KubectlWithTimeoutAsync(Generous, "rollout", "status", "statefulset/web", "--timeout=50s")).ShouldSucceed();
        Assert.Contains("partitioned roll out complete: 1 new pods have been updated", status.Stdout, StringComparison.Ordinal);
        await Eventually.TrueAsync(() => Str(Pod(harness, "web-2")?["spec"]?["containers"]?[0]?["image"]) == "nginx:1.26", "web-2 on nginx:1.26", Generous);
        Assert.Equal("nginx:1.25", Str(Pod(harness, "web-0")!["spec"]!["containers"]![0]!["image"]));
        Assert.Equal("nginx:1.25", Str(Pod(harness, "web-1")!["spec"]!["containers"]![0]!["image"]));
        var revisions = (await harness.KubectlAsync("get", "sts", "web", "-o", "jsonpath={.status.currentReplicas} {.status.updatedReplicas}")).ShouldSucceed().Stdout;
        Assert.Equal("2 1", revisions);
    }

    [Fact]
    public async Task A_crash_looping_revision_blocks_at_the_highest_ordinal_and_a_revert_waits_for_the_pod_to_be_deleted()
    {
        await using var harness = await StartWebAsync();
        var good = (await harness.KubectlAsync("get", "sts", "web", "-o", "jsonpath={.status.currentRevision}")).ShouldSucceed().Stdout;
        (await harness.KubectlAsync("patch", "statefulset", "web", "--type=merge", "-p",
            """{"spec":{"template":{"metadata":{"annotations":{"sim.incidentresponder.dev/fault":"crashloop"}}}}}""")).ShouldSucceed();

        await Eventually.TrueAsync(() => WaitingReason(Pod(harness, "web-2")) == "CrashLoopBackOff", "web-2 in CrashLoopBackOff", Generous);
        var stuck = (await harness.KubectlAsync("rollout", "status", "statefulset/web", "--timeout=2s")).Stdout;
        Assert.Contains("Waiting for 1 pods to be ready", stuck, StringComparison.Ordinal);
        Assert.Equal(good, Label(Pod(harness, "web-1"), "controller-revision-hash"));
        Assert.Equal(good, Label(Pod(harness, "web-0"), "controller-revision-hash"));
        var bad = Label(Pod(harness, "web-2"), "controller-revision-hash");
        var stuckUid = Str(Pod(harness, "web-2")!["metadata"]!["uid"]);

        // The revert: the update revision is the good one again, but OrderedReady waits for web-2 to be Ready first.
        (await harness.KubectlAsync("rollout", "undo", "statefulset/web")).ShouldSucceed();
        await Eventually.TrueAsync(async () =>
            (await harness.KubectlAsync("get", "sts", "web", "-o", "jsonpath={.metadata.generation}={.status.observedGeneration} {.status.updateRevision}")).Stdout == $"3=3 {good}",
            "the revert observed with the good revision as the update revision", Generous);
        await Eventually.TrueAsync(() => (Pod(harness, "web-2")?["status"]?["containerStatuses"]?[0]?["restartCount"]?.GetValue<int>() ?? 0) >= 2, "web-2 crashing again after the revert", Generous);
        Assert.Equal(stuckUid, Str(Pod(harness, "web-2")!["metadata"]!["uid"]));
        Assert.Equal(bad, Label(Pod(harness, "web-2"), "controller-revision-hash"));

        // Not waiting in kubectl for the pod to be gone: its graceful termination runs on the kubelet's pace, which a
        // loaded machine stretches past kubectl's own limit; the recreated pod (a new uid) is what matters.
        (await harness.KubectlAsync("delete", "pod", "web-2", "--wait=false")).ShouldSucceed();
        await Eventually.TrueAsync(() => Pod(harness, "web-2") is { } recreated && Str(recreated["metadata"]!["uid"]) != stuckUid, "web-2 recreated", Generous);
        (await harness.KubectlWithTimeoutAsync(Generous, "rollout", "status", "statefulset/web", "--timeout=50s")).ShouldSucceed();
        Assert.Equal(good, Label(Pod(harness, "web-2"), "controller-revision-hash"));
    }
}
