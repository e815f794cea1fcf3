using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Simulator;
using IncidentResponder.Simulator.Chaos;
using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.Kubelet;
using IncidentResponder.Simulator.Storage;
using k8s;
using k8s.Models;

namespace IncidentResponder.Soak;

/// <summary>A bad rollout the soak pushed: the Deployment, its revision before, and when.</summary>
public sealed record InjectedRollout(string Deployment, long RevisionBefore, DateTimeOffset At, string Fault);

/// <summary>A kill of an operator process: whose, when, whether it held the Lease then, and how.</summary>
public sealed record OperatorKill(string User, DateTimeOffset At, bool WasLeader, bool Hard);

/// <summary>
/// The simulated cluster with chaos on the operators' requests and the soak's own client, exempt from chaos
/// (<see cref="ChaosOptions.ExemptHeader"/>): the harness must see and change the world reliably to judge it.
/// </summary>
public sealed class SoakWorld : IAsyncDisposable
{
    public const string Namespace = "soak";
    public const string LeaseName = "incident-responder-leader";

    private static readonly ResourceType Incidents = new(GroupVersion.Group, GroupVersion.Version, Incident.Plural, "Incident", true);
    private static readonly ResourceType Leases = new("coordination.k8s.io", "v1", "leases", "Lease", true);

    private SoakWorld(SimulatedCluster cluster, IKubernetes client)
    {
        Cluster = cluster;
        Client = client;
    }

    public SimulatedCluster Cluster { get; }

    public IKubernetes Client { get; }

    /// <summary>Moderate chaos: progress must stay possible, so most requests go through.</summary>
    public static ChaosOptions Chaos(int seed) => new()
    {
        Seed = seed,
        ErrorRate = 0.03,
        ConflictRate = 0.05,
        MaxLatency = TimeSpan.FromMilliseconds(50),
        WatchDropWithin = TimeSpan.FromSeconds(30),
        CompactionEvery = TimeSpan.FromSeconds(20),
    };

    public static async Task<SoakWorld> StartAsync(SoakOptions options, IReadOnlyDictionary<string, string> users, CancellationToken cancellationToken)
    {
        var simulator = new SimulatorOptions { Chaos = Chaos(options.Seed), Users = users }
            .AddControllers(new ControllerManagerOptions { Kubelet = new KubeletSettings { SpeedFactor = 20 } });
        var cluster = await SimulatedCluster.StartAsync(simulator, cancellationToken);
        var client = new Kubernetes(cluster.ClientConfiguration(), new ExemptFromChaos());
        var world = new SoakWorld(cluster, client);
        await world.InstallAsync(options, cancellationToken);
        return world;
    }

    private async Task InstallAsync(SoakOptions options, CancellationToken cancellationToken)
    {
        foreach (var file in Directory.GetFiles(Path.Combine(options.RepositoryRoot, "config/crd/bases"), "*.yaml"))
        {
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(file, cancellationToken));
            await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: cancellationToken);
        }

        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } }, cancellationToken: cancellationToken);
        await Until(async () =>
        {
            try
            {
                await Client.CustomObjects.ListNamespacedCustomObjectAsync<JsonObject>(GroupVersion.Group, GroupVersion.Version, Namespace, Runbook.Plural,
                    cancellationToken: cancellationToken);
                return true;
            }
            catch (k8s.Autorest.HttpOperationException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), "the CRDs served", cancellationToken);
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(SoakManifests.RunbookObject(), GroupVersion.Group, GroupVersion.Version, Namespace,
            Runbook.Plural, cancellationToken: cancellationToken);
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(SoakManifests.PolicyObject(), GroupVersion.Group, GroupVersion.Version, Namespace,
            RemediationPolicy.Plural, cancellationToken: cancellationToken);
    }

    public async Task CreateDeploymentAsync(string name, int replicas, CancellationToken cancellationToken) =>
        await Client.AppsV1.CreateNamespacedDeploymentAsync(SoakManifests.Deployment(name, replicas), Namespace, cancellationToken: cancellationToken);

    public JsonObject? Deployment(string name) => Cluster.Store.Get(BuiltinResources.Deployments, Namespace, name);

    public long Revision(string name) =>
        long.TryParse(Deployment(name)?["metadata"]?["annotations"]?["deployment.kubernetes.io/revision"]?.GetValue<string>(), out var revision) ? revision : 0;

    /// <summary>Fully rolled out: every replica updated and available for the current generation.</summary>
    public bool Settled(string name) =>
        Deployment(name) is { } d
        && d["status"]?["observedGeneration"]?.GetValue<long>() == d["metadata"]?["generation"]?.GetValue<long>()
        && d["status"]?["updatedReplicas"]?.GetValue<int>() == d["spec"]?["replicas"]?.GetValue<int>()
        && d["status"]?["availableReplicas"]?.GetValue<int>() == d["spec"]?["replicas"]?.GetValue<int>()
        && (d["status"]?["replicas"]?.GetValue<int>() ?? 0) == d["spec"]?["replicas"]?.GetValue<int>();

    public IReadOnlyList<Incident> IncidentsNow() =>
        [.. Cluster.Store.List(Incidents, Namespace).Select(i => KubernetesJson.Deserialize<Incident>(i.ToJsonString()))];

    public string? LeaseHolder() => Cluster.Store.Get(Leases, Namespace, LeaseName)?["spec"]?["holderIdentity"]?.GetValue<string>();

    /// <summary>A bad rollout as a person makes one: a new image and a fault the kubelet turns into the failure.</summary>
    public async Task BadRolloutAsync(string name, string fault, int image, CancellationToken cancellationToken)
    {
        var patch = """{"spec":{"template":{"metadata":{"annotations":{"FAULT_KEY":"FAULT"}},"spec":{"containers":[{"name":"app","image":"nginx:1.IMAGE"}]}}}}"""
            .Replace("FAULT_KEY", FaultSpec.FaultAnnotation, StringComparison.Ordinal).Replace("FAULT", fault, StringComparison.Ordinal)
            .Replace("IMAGE", image.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        await Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), name, Namespace, cancellationToken: cancellationToken);
    }

    /// <summary>An OOM storm: every running pod of the Deployment starts being OOM-killed on a revision that did not change.</summary>
    public async Task OomStormAsync(string name, CancellationToken cancellationToken)
    {
        var patch = """{"metadata":{"annotations":{"FAULT_KEY":"oom"}}}""".Replace("FAULT_KEY", FaultSpec.FaultAnnotation, StringComparison.Ordinal);
        foreach (var pod in Cluster.Store.List(BuiltinResources.Pods, Namespace, $"app={name}"))
        {
            await Client.CoreV1.PatchNamespacedPodAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), pod["metadata"]!["name"]!.GetValue<string>(), Namespace,
                cancellationToken: cancellationToken);
        }
    }

    /// <summary>
    /// A flaky pod: its container exited once with an error and is running and ready again, written as the kubelet
    /// would report it. One restart is not an incident.
    /// </summary>
    public bool FlakyRestart(string name)
    {
        var pod = Cluster.Store.List(BuiltinResources.Pods, Namespace, $"app={name}").FirstOrDefault(p => p["status"]?["containerStatuses"] is JsonArray { Count: > 0 });
        if (pod?["status"]?["containerStatuses"]?[0] is not JsonObject container)
        {
            return false;
        }

        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        container["restartCount"] = (container["restartCount"]?.GetValue<int>() ?? 0) + 1;
        container["lastState"] = new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = 1, ["reason"] = "Error", ["startedAt"] = now, ["finishedAt"] = now } };
        container["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } };
        container["ready"] = true;
        try
        {
            Cluster.Store.Update(BuiltinResources.Pods, pod, status: true);
            return true;
        }
        catch (StoreException)
        {
            return false; // the kubelet wrote the pod in between: another pod next time
        }
    }

    public static async Task Until(Func<Task<bool>> condition, TimeSpan limit, string what, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + limit;
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"not within {limit}: {what}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Cluster.DisposeAsync();
    }

    /// <summary>Marks the harness's own requests so the chaos injector lets them through.</summary>
    private sealed class ExemptFromChaos : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation(ChaosOptions.ExemptHeader, "1");
            return base.SendAsync(request, cancellationToken);
        }
    }
}
