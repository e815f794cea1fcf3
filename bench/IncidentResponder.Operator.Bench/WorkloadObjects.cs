using System.Globalization;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Controllers;
using k8s;
using k8s.Models;

namespace IncidentResponder.Operator.Bench;

/// <summary>
/// The objects and statuses the deployment controller, the ReplicaSet controller and the kubelet would write, as JSON
/// for the store: names, labels, owner references, revision annotations and status fields as kube-controller-manager
/// and the kubelet set them, so the operator's informers see what they would see on a real cluster.
/// </summary>
internal static class WorkloadObjects
{
    public const string ContainerName = "main";

    public static string NamespaceName(int index) => $"team-{index:D2}";

    public static string DeploymentName(int index) => $"app-{index:D4}";

    public static string GoodImage(int index) => $"registry.example.com/app-{index:D4}:1.0.0";

    public static string BadImage(int index) => $"registry.example.com/app-{index:D4}:1.1.0";

    public static JsonObject Namespace(string name) => new() { ["metadata"] = new JsonObject { ["name"] = name } };

    public static JsonObject Deployment(int index, string ns, int replicas)
    {
        var name = DeploymentName(index);
        return new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["labels"] = new JsonObject { ["app"] = name },
                ["annotations"] = new JsonObject { [DeploymentAnnotations.Revision] = "1" },
            },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                    ["spec"] = new JsonObject
                    {
                        ["containers"] = new JsonArray(new JsonObject
                        {
                            ["name"] = ContainerName,
                            ["image"] = GoodImage(index),
                            ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 8080, ["name"] = "http" }),
                            ["env"] = new JsonArray(new JsonObject { ["name"] = "LOG_LEVEL", ["value"] = "info" }),
                            ["resources"] = new JsonObject
                            {
                                ["requests"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "128Mi" },
                                ["limits"] = new JsonObject { ["memory"] = "256Mi" },
                            },
                            ["readinessProbe"] = new JsonObject
                            {
                                ["httpGet"] = new JsonObject { ["path"] = "/healthz", ["port"] = 8080 },
                                ["periodSeconds"] = 5,
                            },
                        }),
                    },
                },
            },
        };
    }

    /// <summary>The pod-template-hash the deployment controller computes for a template (the simulator's implementation).</summary>
    public static string TemplateHash(JsonObject template) =>
        PodTemplateHash.Compute(KubernetesJson.Deserialize<V1PodTemplateSpec>(template.ToJsonString()), null);

    /// <summary>A ReplicaSet for one revision of a Deployment, as the deployment controller creates it.</summary>
    public static JsonObject ReplicaSet(JsonObject deployment, JsonObject template, string hash, long revision, int replicas, int maxSurge)
    {
        var meta = deployment["metadata"]!.AsObject();
        var name = $"{Str(meta, "name")}-{hash}";
        var labels = template["metadata"]!["labels"]!.DeepClone().AsObject();
        labels[PodTemplateHash.Label] = hash;
        var rsTemplate = template.DeepClone().AsObject();
        rsTemplate["metadata"]!["labels"] = labels.DeepClone();
        var desired = Number(deployment["spec"]!["replicas"]);
        return new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = Str(meta, "namespace"),
                ["labels"] = labels.DeepClone(),
                ["annotations"] = new JsonObject
                {
                    [DeploymentAnnotations.Revision] = revision.ToString(CultureInfo.InvariantCulture),
                    [DeploymentAnnotations.DesiredReplicas] = desired.ToString(CultureInfo.InvariantCulture),
                    [DeploymentAnnotations.MaxReplicas] = (desired + maxSurge).ToString(CultureInfo.InvariantCulture),
                },
                ["ownerReferences"] = new JsonArray(ControllerReference("apps/v1", "Deployment", meta)),
            },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["selector"] = new JsonObject { ["matchLabels"] = labels.DeepClone() },
                ["template"] = rsTemplate,
            },
        };
    }

    public static JsonObject ReplicaSetStatus(int replicas, int ready, long observedGeneration) => new()
    {
        ["replicas"] = replicas,
        ["fullyLabeledReplicas"] = replicas,
        ["readyReplicas"] = ready,
        ["availableReplicas"] = ready,
        ["observedGeneration"] = observedGeneration,
    };

    /// <summary>A pod of a ReplicaSet, as the ReplicaSet controller creates it and the scheduler binds it.</summary>
    public static JsonObject Pod(JsonObject replicaSet, string suffix, string nodeName = "sim-node-1")
    {
        var meta = replicaSet["metadata"]!.AsObject();
        var template = replicaSet["spec"]!["template"]!.AsObject();
        var spec = template["spec"]!.DeepClone().AsObject();
        spec["nodeName"] = nodeName;
        return new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{Str(meta, "name")}-{suffix}",
                ["namespace"] = Str(meta, "namespace"),
                ["labels"] = template["metadata"]!["labels"]!.DeepClone(),
                ["ownerReferences"] = new JsonArray(ControllerReference("apps/v1", "ReplicaSet", meta)),
            },
            ["spec"] = spec,
        };
    }

    /// <summary>A running, ready pod's status as the kubelet reports it.</summary>
    public static JsonObject RunningStatus(JsonObject pod, string image, DateTimeOffset started) => new()
    {
        ["phase"] = "Running",
        ["hostIP"] = "10.0.0.1",
        ["podIP"] = PodIp(pod),
        ["startTime"] = Time(started),
        ["conditions"] = Conditions("True", started),
        ["containerStatuses"] = new JsonArray(new JsonObject
        {
            ["name"] = ContainerName,
            ["image"] = image,
            ["imageID"] = $"{image}@sha256:{new string('a', 64)}",
            ["ready"] = true,
            ["started"] = true,
            ["restartCount"] = 0,
            ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = Time(started) } },
            ["lastState"] = new JsonObject(),
        }),
    };

    /// <summary>A pod just bound, its container being created.</summary>
    public static JsonObject ContainerCreatingStatus(string image, DateTimeOffset now) => new()
    {
        ["phase"] = "Pending",
        ["hostIP"] = "10.0.0.1",
        ["startTime"] = Time(now),
        ["conditions"] = Conditions("False", now),
        ["containerStatuses"] = new JsonArray(new JsonObject
        {
            ["name"] = ContainerName,
            ["image"] = image,
            ["imageID"] = string.Empty,
            ["ready"] = false,
            ["started"] = false,
            ["restartCount"] = 0,
            ["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ContainerCreating" } },
            ["lastState"] = new JsonObject(),
        }),
    };

    /// <summary>What the kubelet reports for a container that exits on start and is in restart back-off.</summary>
    public static JsonObject CrashLoopStatus(JsonObject pod, string image, DateTimeOffset started, DateTimeOffset now)
    {
        var meta = pod["metadata"]!.AsObject();
        return new JsonObject
        {
            ["phase"] = "Running",
            ["hostIP"] = "10.0.0.1",
            ["podIP"] = PodIp(pod),
            ["startTime"] = Time(started),
            ["conditions"] = Conditions("False", started),
            ["containerStatuses"] = new JsonArray(new JsonObject
            {
                ["name"] = ContainerName,
                ["image"] = image,
                ["imageID"] = $"{image}@sha256:{new string('b', 64)}",
                ["ready"] = false,
                ["started"] = false,
                ["restartCount"] = 1,
                ["state"] = new JsonObject
                {
                    ["waiting"] = new JsonObject
                    {
                        ["reason"] = "CrashLoopBackOff",
                        ["message"] = $"back-off 10s restarting failed container={ContainerName} pod={Str(meta, "name")}_{Str(meta, "namespace")}({Str(meta, "uid")})",
                    },
                },
                ["lastState"] = new JsonObject
                {
                    ["terminated"] = new JsonObject
                    {
                        ["exitCode"] = 1,
                        ["reason"] = "Error",
                        ["startedAt"] = Time(started),
                        ["finishedAt"] = Time(now),
                    },
                },
            }),
        };
    }

    /// <summary>A Deployment's status while every replica runs the current template and is available.</summary>
    public static JsonObject AvailableDeploymentStatus(long generation, int replicas, string replicaSetName, DateTimeOffset since) => new()
    {
        ["observedGeneration"] = generation,
        ["replicas"] = replicas,
        ["updatedReplicas"] = replicas,
        ["readyReplicas"] = replicas,
        ["availableReplicas"] = replicas,
        ["conditions"] = new JsonArray(
            DeploymentCondition("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", since),
            DeploymentCondition("Progressing", "True", "NewReplicaSetAvailable", $"ReplicaSet \"{replicaSetName}\" has successfully progressed.", since)),
    };

    /// <summary>A Deployment's status mid rolling update: the old revision still serves, the new pods are not available.</summary>
    public static JsonObject RollingDeploymentStatus(long generation, int total, int updated, int available, string newReplicaSetName, DateTimeOffset since, DateTimeOffset now) => new()
    {
        ["observedGeneration"] = generation,
        ["replicas"] = total,
        ["updatedReplicas"] = updated,
        ["readyReplicas"] = available,
        ["availableReplicas"] = available,
        ["unavailableReplicas"] = total - available,
        ["conditions"] = new JsonArray(
            DeploymentCondition("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", since),
            DeploymentCondition("Progressing", "True", "ReplicaSetUpdated", $"ReplicaSet \"{newReplicaSetName}\" is progressing.", now)),
    };

    /// <summary>
    /// A whole number as stored: the store keeps what the JSON said (an int here, a long there), and JsonValue only
    /// converts to the exact type it holds.
    /// </summary>
    public static long Number(JsonNode? node) =>
        node is null ? 0 : long.Parse(node.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture);

    public static string Str(JsonObject obj, string key) => obj[key]?.GetValue<string>() ?? string.Empty;

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static JsonObject ControllerReference(string apiVersion, string kind, JsonObject ownerMeta) => new()
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = kind,
        ["name"] = Str(ownerMeta, "name"),
        ["uid"] = Str(ownerMeta, "uid"),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    private static JsonObject DeploymentCondition(string type, string status, string reason, string message, DateTimeOffset since) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["reason"] = reason,
        ["message"] = message,
        ["lastUpdateTime"] = Time(since),
        ["lastTransitionTime"] = Time(since),
    };

    private static JsonArray Conditions(string ready, DateTimeOffset since) => new(
        new JsonObject { ["type"] = "PodScheduled", ["status"] = "True", ["lastTransitionTime"] = Time(since) },
        new JsonObject { ["type"] = "Initialized", ["status"] = "True", ["lastTransitionTime"] = Time(since) },
        new JsonObject { ["type"] = "ContainersReady", ["status"] = ready, ["lastTransitionTime"] = Time(since) },
        new JsonObject { ["type"] = "Ready", ["status"] = ready, ["lastTransitionTime"] = Time(since) });

    /// <summary>A stable pod IP derived from the uid, so the same pod keeps its address across status writes.</summary>
    private static string PodIp(JsonObject pod)
    {
        var hash = (uint)StringComparer.Ordinal.GetHashCode(Str(pod["metadata"]!.AsObject(), "uid"));
        return $"10.{(hash >> 16) & 0xff}.{(hash >> 8) & 0xff}.{hash & 0xff}";
    }
}
