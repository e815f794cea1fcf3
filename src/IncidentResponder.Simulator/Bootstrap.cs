using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Crd;
using IncidentResponder.Simulator.Defaulting;
using IncidentResponder.Simulator.GitOps;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator;

/// <summary>What a fresh cluster has before anyone uses it: admission steps, system namespaces, registered nodes.</summary>
internal static class Bootstrap
{
    public static void Install(ClusterStore store, SimulatorOptions options)
    {
        store.AddAdmissionStep(new BuiltinDefaults());
        store.AddAdmissionStep(new SecretStringData());
        store.AddAdmissionStep(new CrdServing(store));
        store.AddAdmissionStep(new CustomResourceAdmissionStep());
        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            store.Create(BuiltinResources.Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });
        }

        foreach (var node in options.NodeNames)
        {
            AddNode(store, node);
        }

        if (options.GitOps is { } gitOps)
        {
            GitOpsCrds.Install(store, gitOps);
        }
    }

    public static JsonObject AddNode(ClusterStore store, string name)
    {
        var now = ObjectRules.Timestamp(store.Time.GetUtcNow());
        var node = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["labels"] = new JsonObject { ["kubernetes.io/hostname"] = name, ["kubernetes.io/os"] = "linux", ["kubernetes.io/arch"] = "amd64" },
            },
            ["spec"] = new JsonObject(),
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Ready",
                    ["status"] = "True",
                    ["lastHeartbeatTime"] = now,
                    ["lastTransitionTime"] = now,
                    ["reason"] = "KubeletReady",
                    ["message"] = "kubelet is posting ready status",
                }),
                ["addresses"] = new JsonArray(
                    new JsonObject { ["type"] = "InternalIP", ["address"] = "10.0.0.10" },
                    new JsonObject { ["type"] = "Hostname", ["address"] = name }),
                ["nodeInfo"] = new JsonObject
                {
                    ["kubeletVersion"] = "v1.32.13",
                    ["containerRuntimeVersion"] = "containerd://1.7.0",
                    ["osImage"] = "Simulated Linux",
                    ["kernelVersion"] = "6.1.0",
                    ["operatingSystem"] = "linux",
                    ["architecture"] = "amd64",
                },
            },
        };
        return store.Create(BuiltinResources.Nodes, node);
    }
}
