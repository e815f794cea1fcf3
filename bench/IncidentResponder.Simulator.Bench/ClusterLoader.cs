using System.Diagnostics;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator.Bench;

/// <summary>
/// Fills the store with the benchmark's objects. It writes through <see cref="ClusterStore"/> in process, not over
/// HTTP: setup would otherwise dominate the run, and the store applies the same rules (defaulting, resourceVersion,
/// watch history) to both. No controllers run, so the deployments create no pods of their own.
/// </summary>
internal static class ClusterLoader
{
    public static string NamespaceName(int index) => $"bench-{index:D2}";

    /// <summary>The label value of pod <paramref name="index"/>: 100 apps, so one app selects 1% of the pods.</summary>
    public static string AppLabel(int index) => $"app-{index % 100:D2}";

    public static TimeSpan Load(ClusterStore store, BenchSettings settings)
    {
        var clock = Stopwatch.StartNew();
        for (var n = 0; n < settings.Namespaces; n++)
        {
            store.Create(BuiltinResources.Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = NamespaceName(n) } });
        }

        for (var i = 0; i < settings.Deployments; i++)
        {
            store.Create(BuiltinResources.Deployments, Deployment(i, NamespaceName(i % settings.Namespaces)));
        }

        for (var i = 0; i < settings.Pods; i++)
        {
            store.Create(BuiltinResources.Pods, Pod(i, NamespaceName(i % settings.Namespaces)));
        }

        return clock.Elapsed;
    }

    /// <summary>A pod shaped like one a ReplicaSet creates (owner, hash label, one container with resources, probes and env).</summary>
    public static JsonObject Pod(int index, string @namespace)
    {
        var app = AppLabel(index);
        return new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = $"pod-{index:D6}",
                ["namespace"] = @namespace,
                ["labels"] = new JsonObject { ["app"] = app, ["pod-template-hash"] = "7d9f8c6b5d", ["tier"] = index % 2 == 0 ? "web" : "worker" },
                ["annotations"] = new JsonObject { ["kubectl.kubernetes.io/restartedAt"] = "2025-01-01T00:00:00Z" },
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "apps/v1",
                    ["kind"] = "ReplicaSet",
                    ["name"] = $"{app}-7d9f8c6b5d",
                    ["uid"] = Guid.NewGuid().ToString(),
                    ["controller"] = true,
                    ["blockOwnerDeletion"] = true,
                }),
            },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = "sim-node-1",
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "main",
                    ["image"] = $"registry.example.com/{app}:1.4.{index % 7}",
                    ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 8080, ["name"] = "http" }),
                    ["env"] = new JsonArray(
                        new JsonObject { ["name"] = "MODE", ["value"] = "production" },
                        new JsonObject { ["name"] = "LOG_LEVEL", ["value"] = "info" }),
                    ["resources"] = new JsonObject
                    {
                        ["requests"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "128Mi" },
                        ["limits"] = new JsonObject { ["cpu"] = "500m", ["memory"] = "256Mi" },
                    },
                    ["readinessProbe"] = new JsonObject
                    {
                        ["httpGet"] = new JsonObject { ["path"] = "/healthz", ["port"] = 8080 },
                        ["periodSeconds"] = 5,
                    },
                }),
            },
        };
    }

    public static JsonObject Deployment(int index, string @namespace)
    {
        var labels = new JsonObject { ["app"] = $"deploy-{index:D5}" };
        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = $"deploy-{index:D5}", ["namespace"] = @namespace, ["labels"] = labels.DeepClone() },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 3,
                ["selector"] = new JsonObject { ["matchLabels"] = labels.DeepClone() },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = labels.DeepClone() },
                    ["spec"] = new JsonObject
                    {
                        ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = $"registry.example.com/app:{index % 11}" }),
                    },
                },
            },
        };
    }
}
