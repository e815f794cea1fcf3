using System.Globalization;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Operator.Bench.Fleet;

/// <summary>
/// The nodes of a large cluster, written through the store as the kubelets leave them after registering: a Ready Node
/// with capacity and conditions, and its heartbeat Lease in kube-node-lease.
/// </summary>
internal static class NodeFleet
{
    public const string LeaseNamespace = "kube-node-lease";

    public static string NodeName(int index) => string.Create(CultureInfo.InvariantCulture, $"node-{index:D5}");

    public static IReadOnlyList<string> Load(ClusterStore store, int count, DateTimeOffset since)
    {
        if (count == 0)
        {
            return [];
        }

        if (store.Get(BuiltinResources.Namespaces, null, LeaseNamespace) is null)
        {
            store.Create(BuiltinResources.Namespaces, WorkloadObjects.Namespace(LeaseNamespace));
        }

        var names = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var name = NodeName(i);
            var node = store.Create(BuiltinResources.Nodes, Node(name));
            node["status"] = Status(since, since);
            store.Update(BuiltinResources.Nodes, node, status: true);
            store.Create(BuiltinResources.Leases, Lease(name, since));
            names.Add(name);
        }

        return names;
    }

    private static JsonObject Node(string name) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["labels"] = new JsonObject
            {
                ["kubernetes.io/hostname"] = name,
                ["kubernetes.io/os"] = "linux",
                ["node.kubernetes.io/instance-type"] = "m5.2xlarge",
            },
        },
        ["spec"] = new JsonObject { ["podCIDR"] = "10.244.0.0/24" },
    };

    /// <summary>A healthy node's status: the kubelet's four pressure conditions false and Ready true.</summary>
    public static JsonObject Status(DateTimeOffset transition, DateTimeOffset heartbeat)
    {
        var conditions = new JsonArray();
        foreach (var (type, status, reason) in new[]
        {
            ("MemoryPressure", "False", "KubeletHasSufficientMemory"),
            ("DiskPressure", "False", "KubeletHasNoDiskPressure"),
            ("PIDPressure", "False", "KubeletHasSufficientPID"),
            ("Ready", "True", "KubeletReady"),
        })
        {
            conditions.Add(new JsonObject
            {
                ["type"] = type,
                ["status"] = status,
                ["reason"] = reason,
                ["lastHeartbeatTime"] = WorkloadObjects.Time(heartbeat),
                ["lastTransitionTime"] = WorkloadObjects.Time(transition),
            });
        }

        return new JsonObject
        {
            ["capacity"] = new JsonObject { ["cpu"] = "8", ["memory"] = "32Gi", ["pods"] = "110" },
            ["allocatable"] = new JsonObject { ["cpu"] = "7910m", ["memory"] = "31Gi", ["pods"] = "110" },
            ["conditions"] = conditions,
            ["nodeInfo"] = new JsonObject { ["kubeletVersion"] = "v1.32.0", ["containerRuntimeVersion"] = "containerd://1.7.24" },
        };
    }

    public static JsonObject Lease(string node, DateTimeOffset renewed) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = node, ["namespace"] = LeaseNamespace },
        ["spec"] = new JsonObject
        {
            ["holderIdentity"] = node,
            ["leaseDurationSeconds"] = 40,
            ["renewTime"] = MicroTime(renewed),
        },
    };

    public static string MicroTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
