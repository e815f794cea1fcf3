using System.Globalization;
using System.Text.Json.Nodes;

namespace IncidentResponder.Runtime.Bench;

/// <summary>
/// Pods shaped like the ones a ReplicaSet creates in a real cluster and a kubelet reports on: five labels, four
/// annotations, a controller ownerReference, two containers (app + sidecar) with env, resources and probes, and a
/// Running status with five conditions and two containerStatuses. The memory figures only mean something for pods
/// this size; a minimal pod would flatter the full-object cache.
/// </summary>
internal static class RealisticPods
{
    /// <summary>Distinct ReplicaSets the pods belong to (about 50 pods each at 50,000 pods).</summary>
    public const int ReplicaSets = 1_000;

    public const string SequenceLabel = "bench-seq";

    public static string NamespaceName(int index, int namespaces) => $"bench-{index % namespaces:D2}";

    public static string PodName(int index) => $"pod-{index:D6}";

    /// <summary>The pod index back from <see cref="PodName"/> (the reconciler needs it to know the final state).</summary>
    public static int PodIndex(string name) => int.Parse(name.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>What a create sends: metadata and spec. The server resets status on create, as kube-apiserver does.</summary>
    public static JsonObject Pod(int index, int namespaces)
    {
        var replicaSet = index % ReplicaSets;
        var app = $"app-{replicaSet % 100:D2}";
        var hash = $"{replicaSet:x4}7d9f8c";
        return new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = PodName(index),
                ["namespace"] = NamespaceName(index, namespaces),
                ["labels"] = new JsonObject
                {
                    ["app.kubernetes.io/name"] = app,
                    ["app.kubernetes.io/part-of"] = "shop",
                    ["app.kubernetes.io/version"] = $"1.4.{replicaSet % 7}",
                    ["pod-template-hash"] = hash,
                    ["team"] = $"team-{replicaSet % 12}",
                },
                ["annotations"] = new JsonObject
                {
                    ["prometheus.io/scrape"] = "true",
                    ["prometheus.io/port"] = "9090",
                    ["kubectl.kubernetes.io/restartedAt"] = "2026-01-01T00:00:00Z",
                    ["checksum/config"] = $"{replicaSet:x8}c0ffee00d15ea5e5ca1ab1ef00dfacade0123456789abcdef0123456789",
                },
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "apps/v1",
                    ["kind"] = "ReplicaSet",
                    ["name"] = $"{app}-{hash}",
                    ["uid"] = $"00000000-0000-4000-8000-{replicaSet:D12}",
                    ["controller"] = true,
                    ["blockOwnerDeletion"] = true,
                }),
            },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = $"node-{index % 40:D2}",
                ["serviceAccountName"] = app,
                ["containers"] = new JsonArray(AppContainer(app, replicaSet), SidecarContainer()),
                ["volumes"] = new JsonArray(new JsonObject
                {
                    ["name"] = "config",
                    ["configMap"] = new JsonObject { ["name"] = $"{app}-config" },
                }),
            },
        };
    }

    /// <summary>What the kubelet would have written to <c>pods/status</c> once the pod runs.</summary>
    public static JsonObject RunningStatus(int index)
    {
        var replicaSet = index % ReplicaSets;
        var started = "2026-01-01T00:00:05Z";
        var podIp = $"10.{index / 65_536 % 256}.{index / 256 % 256}.{index % 256}";
        return new JsonObject
        {
            ["phase"] = "Running",
            ["qosClass"] = "Burstable",
            ["hostIP"] = $"192.168.0.{index % 40 + 10}",
            ["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = $"192.168.0.{index % 40 + 10}" }),
            ["podIP"] = podIp,
            ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = podIp }),
            ["startTime"] = "2026-01-01T00:00:01Z",
            ["conditions"] = new JsonArray(
                Condition("PodReadyToStartContainers", "2026-01-01T00:00:03Z"),
                Condition("Initialized", "2026-01-01T00:00:01Z"),
                Condition("Ready", "2026-01-01T00:00:09Z"),
                Condition("ContainersReady", "2026-01-01T00:00:09Z"),
                Condition("PodScheduled", "2026-01-01T00:00:00Z")),
            ["containerStatuses"] = new JsonArray(
                ContainerStatus("app", $"registry.example.com/shop/app-{replicaSet % 100:D2}:1.4.{replicaSet % 7}", index, 0, started),
                ContainerStatus("proxy", "registry.example.com/mesh/proxy:1.22.3", index, 1, started)),
        };
    }

    private static JsonObject AppContainer(string app, int replicaSet) => new()
    {
        ["name"] = "app",
        ["image"] = $"registry.example.com/shop/{app}:1.4.{replicaSet % 7}",
        ["ports"] = new JsonArray(
            new JsonObject { ["name"] = "http", ["containerPort"] = 8080 },
            new JsonObject { ["name"] = "metrics", ["containerPort"] = 9090 }),
        ["env"] = new JsonArray(
            new JsonObject { ["name"] = "MODE", ["value"] = "production" },
            new JsonObject { ["name"] = "LOG_LEVEL", ["value"] = "info" },
            new JsonObject { ["name"] = "DATABASE_URL", ["value"] = "postgres://shop-db.shop.svc:5432/shop" },
            new JsonObject
            {
                ["name"] = "POD_NAME",
                ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["fieldPath"] = "metadata.name" } },
            }),
        ["resources"] = new JsonObject
        {
            ["requests"] = new JsonObject { ["cpu"] = "250m", ["memory"] = "256Mi" },
            ["limits"] = new JsonObject { ["cpu"] = "1", ["memory"] = "512Mi" },
        },
        ["livenessProbe"] = new JsonObject
        {
            ["httpGet"] = new JsonObject { ["path"] = "/livez", ["port"] = 8080 },
            ["initialDelaySeconds"] = 10,
            ["periodSeconds"] = 10,
        },
        ["readinessProbe"] = new JsonObject
        {
            ["httpGet"] = new JsonObject { ["path"] = "/readyz", ["port"] = 8080 },
            ["periodSeconds"] = 5,
        },
        ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "config", ["mountPath"] = "/etc/app" }),
    };

    private static JsonObject SidecarContainer() => new()
    {
        ["name"] = "proxy",
        ["image"] = "registry.example.com/mesh/proxy:1.22.3",
        ["args"] = new JsonArray("--config", "/etc/proxy/proxy.yaml"),
        ["env"] = new JsonArray(
            new JsonObject { ["name"] = "PROXY_ADMIN_PORT", ["value"] = "15000" },
            new JsonObject
            {
                ["name"] = "POD_IP",
                ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["fieldPath"] = "status.podIP" } },
            }),
        ["resources"] = new JsonObject
        {
            ["requests"] = new JsonObject { ["cpu"] = "50m", ["memory"] = "64Mi" },
            ["limits"] = new JsonObject { ["cpu"] = "200m", ["memory"] = "128Mi" },
        },
        ["readinessProbe"] = new JsonObject
        {
            ["httpGet"] = new JsonObject { ["path"] = "/healthz/ready", ["port"] = 15021 },
            ["periodSeconds"] = 2,
        },
    };

    private static JsonObject Condition(string type, string at) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastProbeTime"] = null,
        ["lastTransitionTime"] = at,
    };

    private static JsonObject ContainerStatus(string name, string image, int index, int ordinal, string startedAt) => new()
    {
        ["name"] = name,
        ["image"] = image,
        ["imageID"] = $"{image}@sha256:{ordinal:x2}4f1c2b9a7e3d5c8b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8",
        ["containerID"] = $"containerd://{index:x8}{ordinal:x2}a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d",
        ["ready"] = true,
        ["started"] = true,
        ["restartCount"] = 0,
        ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = startedAt } },
        ["lastState"] = new JsonObject(),
    };
}
