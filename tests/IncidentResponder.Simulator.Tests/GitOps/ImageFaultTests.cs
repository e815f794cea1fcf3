using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Kubelet;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator.Tests.GitOps;

/// <summary>A bad commit that only changes an image crash-loops the new pods through the <c>sim-faults</c> ConfigMap.</summary>
public sealed class ImageFaultTests
{
    [Fact]
    public async Task A_bad_image_from_git_crash_loops_its_pods()
    {
        using var repo = GitRepo.Create();
        repo.Commit("web 1.27", ("apps/web/deployment.yaml", GitOpsManifests.Deployment("nginx:1.27", replicas: 1)));
        await using var harness = await GitOpsHarness.StartAsync();
        await harness.ApplyAsync("faults.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: sim-faults
              namespace: shop
            data:
              # A key a real API server accepts; the value names the image and its fault.
              broken-web: "nginx:1.26-broken=crashloop"
            """);
        await harness.ApplyAsync("app.yaml", GitOpsManifests.Application("web", repo.Url, "apps/web", GitOpsManifests.AutomatedSelfHeal));
        await Eventually.TrueAsync(() => (string?)harness.Application("web")?["status"]?["health"]?["status"] == "Healthy", "a healthy first release " + harness.Errors(), GitOpsHarness.Deadline);

        repo.Commit("web 1.26-broken", ("apps/web/deployment.yaml", GitOpsManifests.Deployment("nginx:1.26-broken", replicas: 1)));
        (await harness.KubectlAsync("annotate", "application/web", "-n", "argocd", "argocd.argoproj.io/refresh=normal")).ShouldSucceed();

        await Eventually.TrueAsync(
            () => harness.Cluster.Store.List(BuiltinResources.Pods, "shop").Any(pod =>
                (string?)pod["spec"]?["containers"]?[0]?["image"] == "nginx:1.26-broken"
                && (pod["status"]?["containerStatuses"] as JsonArray ?? []).Any(c => (long?)c?["restartCount"] > 0)),
            "a pod of the bad image to restart",
            TimeSpan.FromSeconds(45));
        Assert.All(
            harness.Cluster.Store.List(BuiltinResources.Pods, "shop").Where(pod => (string?)pod["spec"]?["containers"]?[0]?["image"] == "nginx:1.27"),
            pod => Assert.Equal(0, (long?)pod["status"]?["containerStatuses"]?[0]?["restartCount"] ?? 0));
    }

    [Fact]
    public void The_image_is_the_key_or_named_in_the_value_and_the_pod_annotation_wins()
    {
        var data = new JsonObject { ["nginx:1.26"] = "oom", ["other"] = "busybox:1=unready" };
        static k8s.Models.V1Pod Pod(string image, string? fault = null) => new()
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = "p", Annotations = fault is null ? null : new Dictionary<string, string> { [FaultSpec.FaultAnnotation] = fault } },
            Spec = new k8s.Models.V1PodSpec { Containers = [new k8s.Models.V1Container { Name = "c", Image = image }] },
        };

        Assert.Equal(FaultKind.Oom, ImageFaults.Find(data, Pod("nginx:1.26"))?.Kind);
        Assert.Equal(FaultKind.Unready, ImageFaults.Find(data, Pod("busybox:1"))?.Kind);
        Assert.Null(ImageFaults.Find(data, Pod("nginx:1.27")));
    }
}
