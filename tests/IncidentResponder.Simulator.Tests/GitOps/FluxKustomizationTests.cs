using IncidentResponder.Simulator.GitOps;

namespace IncidentResponder.Simulator.Tests.GitOps;

/// <summary>
/// The emulated Flux source and kustomize controllers against a real git repository: the artifact revision, the
/// labels and inventory of what is applied, drift corrected on the next interval, and suspend stopping it.
/// </summary>
public sealed class FluxKustomizationTests
{
    // Flux's CRD only admits http(s)/ssh URLs, so the source names a remote URL the simulator serves from the temp repository.
    private const string RemoteUrl = "https://git.example.com/shop/deploy.git";

    private static string Source(string url) => $$"""
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: GitRepository
        metadata:
          name: shop
          namespace: flux-system
        spec:
          interval: 1s
          url: {{url}}
          ref:
            branch: main
        ---
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: web
          namespace: flux-system
        spec:
          interval: 2s
          path: ./apps/web
          prune: true
          sourceRef:
            kind: GitRepository
            name: shop
        """;

    [Fact]
    public async Task Applies_labels_and_reports_inventory_revision_and_ready_then_corrects_drift_on_the_interval()
    {
        using var repo = GitRepo.Create();
        var sha = repo.Commit("web 1.27", ("apps/web/deployment.yaml", GitOpsManifests.Deployment("nginx:1.27")));
        await using var harness = await GitOpsHarness.StartAsync();
        harness.Cluster.Options.GitOps!.Repositories[RemoteUrl] = repo.Path;
        await harness.ApplyAsync("flux.yaml", Source(RemoteUrl));

        await Eventually.TrueAsync(() => (string?)harness.Kustomization("web")?["status"]?["lastAppliedRevision"] == $"main@sha1:{sha}", "the Kustomization to apply " + harness.Errors(), GitOpsHarness.Deadline);
        Assert.Equal($"main@sha1:{sha}", (string?)harness.GitRepository("shop")!["status"]!["artifact"]!["revision"]);
        var labels = harness.Deployment()!["metadata"]!["labels"]!;
        Assert.Equal("web", (string?)labels[FluxControllers.NameLabel]);
        Assert.Equal("flux-system", (string?)labels[FluxControllers.NamespaceLabel]);
        var status = harness.Kustomization("web")!["status"]!;
        Assert.Equal("shop_web_apps_Deployment", (string?)status["inventory"]!["entries"]![0]!["id"]);
        var ready = status["conditions"]!.AsArray().Single(c => (string?)c!["type"] == "Ready")!;
        Assert.Equal("True", (string?)ready["status"]);
        Assert.Equal("ReconciliationSucceeded", (string?)ready["reason"]);

        (await harness.KubectlAsync("set", "image", "deployment/web", "web=nginx:1.26", "-n", "shop")).ShouldSucceed();
        await Eventually.TrueAsync(() => harness.Image() == "nginx:1.27", "the next interval to correct the drift", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Suspend_stops_applying_drift_and_new_commits()
    {
        using var repo = GitRepo.Create();
        repo.Commit("web 1.27", ("apps/web/deployment.yaml", GitOpsManifests.Deployment("nginx:1.27")));
        await using var harness = await GitOpsHarness.StartAsync();
        harness.Cluster.Options.GitOps!.Repositories[RemoteUrl] = repo.Path;
        await harness.ApplyAsync("flux.yaml", Source(RemoteUrl));
        await Eventually.TrueAsync(() => harness.Image() == "nginx:1.27", "the first apply " + harness.Errors(), GitOpsHarness.Deadline);

        // As upstream documents `flux suspend`: a merge patch under a field manager that does not start with kubectl.
        (await harness.KubectlAsync("patch", "kustomization.kustomize.toolkit.fluxcd.io/web", "-n", "flux-system", "--type", "merge",
            "--field-manager=flux-client-side-apply", "-p", """{"spec":{"suspend":true}}""")).ShouldSucceed();
        (await harness.KubectlAsync("set", "image", "deployment/web", "web=nginx:1.26", "-n", "shop")).ShouldSucceed();
        var next = repo.Commit("web 1.28", ("apps/web/deployment.yaml", GitOpsManifests.Deployment("nginx:1.28")));
        await Eventually.TrueAsync(() => (string?)harness.GitRepository("shop")?["status"]?["artifact"]?["revision"] == $"main@sha1:{next}", "the source to see the new commit", GitOpsHarness.Deadline);

        await GitOpsHarness.StaysAsync(() => harness.Image() == "nginx:1.26", TimeSpan.FromSeconds(5), "the live image to stay while suspended");

        // Resuming (flux resume removes the field) applies the newest revision at once.
        (await harness.KubectlAsync("patch", "kustomization.kustomize.toolkit.fluxcd.io/web", "-n", "flux-system", "--type", "merge",
            "--field-manager=flux-client-side-apply", "-p", """{"spec":{"suspend":null}}""")).ShouldSucceed();
        await Eventually.TrueAsync(() => harness.Image() == "nginx:1.28", "the resumed Kustomization to apply the new commit", GitOpsHarness.Deadline);
    }

    [Fact]
    public async Task A_requested_reconcile_applies_a_new_commit_before_the_interval_and_is_echoed()
    {
        using var repo = GitRepo.Create();
        repo.Commit("web 1.27", ("apps/web/deployment.yaml", GitOpsManifests.Deployment("nginx:1.27")));
        await using var harness = await GitOpsHarness.StartAsync();
        harness.Cluster.Options.GitOps!.Repositories[RemoteUrl] = repo.Path;
        await harness.ApplyAsync("flux.yaml", Source(RemoteUrl).Replace("interval: 1s", "interval: 10m", StringComparison.Ordinal).Replace("interval: 2s", "interval: 10m", StringComparison.Ordinal));
        await Eventually.TrueAsync(() => harness.Image() == "nginx:1.27", "the first apply " + harness.Errors(), GitOpsHarness.Deadline);

        // `flux reconcile source git` and `flux reconcile kustomization` annotate with a new requestedAt.
        var next = repo.Commit("web 1.28", ("apps/web/deployment.yaml", GitOpsManifests.Deployment("nginx:1.28")));
        (await harness.KubectlAsync("annotate", "--overwrite", "gitrepository.source.toolkit.fluxcd.io/shop", "-n", "flux-system", "reconcile.fluxcd.io/requestedAt=2026-01-01T00:00:00Z")).ShouldSucceed();

        await Eventually.TrueAsync(
            () => harness.Image() == "nginx:1.28" && (string?)harness.Kustomization("web")?["status"]?["lastAppliedRevision"] == $"main@sha1:{next}",
            "the new source revision to be applied at once " + harness.Errors(),
            GitOpsHarness.Deadline);
        Assert.Equal("2026-01-01T00:00:00Z", (string?)harness.GitRepository("shop")!["status"]!["lastHandledReconcileAt"]);
    }
}

