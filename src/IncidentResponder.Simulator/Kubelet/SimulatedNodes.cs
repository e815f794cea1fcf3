using System.Globalization;
using IncidentResponder.Simulator.Controllers;
using k8s.Models;

namespace IncidentResponder.Simulator.Kubelet;

/// <summary>The Nodes of the simulated cluster, shaped like kind/kubeadm workers running containerd.</summary>
public static class SimulatedNodes
{
    public static string Name(int index) => $"sim-node-{index.ToString(CultureInfo.InvariantCulture)}";

    public static V1Node Create(int index, DateTimeOffset now)
    {
        var name = Name(index);
        var ip = $"172.18.0.{(index + 1).ToString(CultureInfo.InvariantCulture)}";
        var heartbeat = KubeObjects.Seconds(now);
        return new V1Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Labels = new Dictionary<string, string>
                {
                    ["kubernetes.io/hostname"] = name,
                    ["kubernetes.io/os"] = "linux",
                    ["kubernetes.io/arch"] = "amd64",
                    ["beta.kubernetes.io/os"] = "linux",
                    ["beta.kubernetes.io/arch"] = "amd64",
                },
                Annotations = new Dictionary<string, string>
                {
                    ["node.alpha.kubernetes.io/ttl"] = "0",
                    ["volumes.kubernetes.io/controller-managed-attach-detach"] = "true",
                },
            },
            Spec = new V1NodeSpec
            {
                PodCIDR = $"10.244.{index.ToString(CultureInfo.InvariantCulture)}.0/24",
                PodCIDRs = [$"10.244.{index.ToString(CultureInfo.InvariantCulture)}.0/24"],
                ProviderID = $"sim://{name}",
            },
            Status = new V1NodeStatus
            {
                Capacity = Resources("8", "32Gi"),
                Allocatable = Resources("8", "32Gi"),
                Addresses = [new V1NodeAddress { Type = "InternalIP", Address = ip }, new V1NodeAddress { Type = "Hostname", Address = name }],
                Conditions =
                [
                    Condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", heartbeat),
                    Condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", heartbeat),
                    Condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", heartbeat),
                    Condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", heartbeat),
                ],
                DaemonEndpoints = new V1NodeDaemonEndpoints { KubeletEndpoint = new V1DaemonEndpoint { Port = 10250 } },
                NodeInfo = new V1NodeSystemInfo
                {
                    Architecture = "amd64",
                    OperatingSystem = "linux",
                    OsImage = "Debian GNU/Linux 12 (bookworm)",
                    KernelVersion = "6.8.0-sim",
                    ContainerRuntimeVersion = "containerd://1.7.24",
                    KubeletVersion = "v1.32.0",
                    KubeProxyVersion = "v1.32.0",
                    MachineID = Guid.NewGuid().ToString("N"),
                    SystemUUID = Guid.NewGuid().ToString(),
                    BootID = Guid.NewGuid().ToString(),
                },
            },
        };
    }

    private static Dictionary<string, ResourceQuantity> Resources(string cpu, string memory) => new()
    {
        ["cpu"] = new ResourceQuantity(cpu),
        ["memory"] = new ResourceQuantity(memory),
        ["pods"] = new ResourceQuantity("110"),
        ["ephemeral-storage"] = new ResourceQuantity("100Gi"),
    };

    private static V1NodeCondition Condition(string type, string status, string reason, string message, DateTime at) => new()
    {
        Type = type, Status = status, Reason = reason, Message = message, LastHeartbeatTime = at, LastTransitionTime = at,
    };
}
