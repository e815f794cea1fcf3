using IncidentResponder.Simulator.GitOps;
using IncidentResponder.Simulator.Tests.Support;

namespace IncidentResponder.Simulator.Tests.GitOps;

/// <summary>
/// The emulated Argo CD application controller against real git repositories and the real kubectl: sync from git
/// with the tracking annotation, self-heal of a live change, no self-heal while auto-sync is paused, and a refresh
/// that picks up a new commit.
/// </summary>
public sealed class ArgoCdApplicationTests
{
    [Fact]
    public async Task AppliesGitManifestsWithTheTrackingAnnotationAndReportsSyncedAtTheCommit()
    {
        using var repo = GitRepo.Create();
        var sha = repo.Commit("web 1.27", ("apps/web/deployment.yaml", GitOpsManifests.Deployment("nginx:1.27")), ("apps/web/settings.yaml", GitOpsManifests.ConfigMap));
        await using var harness = await GitOpsHarness.StartAsync();

        await harness.ApplyAsync("app.yaml", GitOpsManifests.Application("web", repo.Url, "apps/web", GitOpsManifests.AutomatedSelfHeal));

        await Poll.UntilAsync(() => harness.Deployment() is not null, GitOpsHarness.Deadline, "the Deployment from git " + harness.Errors());
        Assert.Equal("web:apps/Deployment:shop/web", (string?)harness.Deployment()!["metadata"]!["annotations"]![ArgoCdApplicationController.TrackingIdAnnotation]);
        var settings = harness.Cluster.Store.Get(Storage.BuiltinResources.ConfigMaps, "shop", "web-settings");
        Assert.Equal("web:/ConfigMap:shop/web-settings", (string?)settings?["metadata"]?["annotations"]?[ArgoCdApplicationController.TrackingIdAnnotation]);

        await Poll.UntilAsync(
            () => harness.Application("web")?["status"] is { } status
                && (string?)status["sync"]?["status"] == "Synced"
                && (string?)status["health"]?["status"] == "Healthy",
            GitOpsHarness.Deadline,
            "the Application Synced and Healthy " + harness.Errors());
        var app = harness.Application("web")!["status"]!;
        Assert.Equal(sha, (string?)app["sync"]!["revision"]);
        Assert.Equal("Succeeded", (string?)app["operationState"]!["phase"]);
        Assert.Equal(sha, (string?)app["operationState"]!["syncResult"]!["revision"]);
        Assert.NotNull((string?)app["operationState"]!["finishedAt"]);
        Assert.NotNull((string?)app["reconciledAt"]);
        Assert.Equal(sha, (string?)app["history"]![0]!["revision"]);

        // kubectl reads it as Argo CD's printer columns show it.
        var columns = (await harness.KubectlAsync("get", "applications.argoproj.io", "web", "-n", "argocd", "-o", "jsonpath={.status.sync.status}/{.status.health.status}")).ShouldSucceed();
        Assert.Equal("Synced/Healthy", columns.Stdout);
    }

    [Fact]
    public async Task SelfHealRevertsALiveImageChangeWithinSeconds()
    {
        using var repo = GitRepo.Create();
        repo.Commit("web 1.27", ("apps/web/deployment.yaml", GitOpsManifests.Deployment("nginx:1.27")));
        await using var harness = await GitOpsHarness.StartAsync();
        await harness.ApplyAsync("app.yaml", GitOpsManifests.Application("web", repo.Url, "apps/web", GitOpsManifests.AutomatedSelfHeal));
        await Poll.UntilAsync(() => (string?)harness.Application("web")?["status"]?["sync"]?["status"] == "Synced", GitOpsHarness.Deadline, "the first sync " + harness.Errors());

        (await harness.KubectlAsync("set", "image", "deployment/web", "web=nginx:1.28", "-n", "shop")).ShouldSucceed();
        // The first self-heal after a sync is not delayed; the next one backs off 2s from that operation's finishedAt.
        await Poll.UntilAsync(
            () => harness.Image() == "nginx:1.27" && (long?)harness.Application("web")?["status"]?["operationState"]?["operation"]?["sync"]?["autoHealAttemptsCount"] == 1,
            TimeSpan.FromSeconds(10),
            "self-heal to restore the image from git");
        (await harness.KubectlAsync("annotate", "deployment/web", "-n", "shop", "--overwrite", "example.com/unrelated=live")).ShouldSucceed();
        (await harness.KubectlAsync("patch", "deployment/web", "-n", "shop", "--type", "merge", "-p", """{"spec":{"replicas":5}}""")).ShouldSucceed();
        await Poll.UntilAsync(
            () => (long?)harness.Deployment()?["spec"]?["replicas"] == 2 && (long?)harness.Application("web")?["status"]?["operationState"]?["operation"]?["sync"]?["autoHealAttemptsCount"] == 2,
            TimeSpan.FromSeconds(15),
            "self-heal to restore replicas from git");
        Assert.Equal("live", (string?)harness.Deployment()!["metadata"]!["annotations"]!["example.com/unrelated"]);
    }

    [Theory]
    [InlineData("""{"spec":{"syncPolicy":{"automated":{"enabled":false}}}}""")]
    [InlineData("""{"spec":{"syncPolicy":{"automated":null}}}""")]
    public async Task DriftStaysWhileAutoSyncIsPausedButSyncStatusIsStillComputed(string pause)
    {
        using var repo = GitRepo.Create();
        repo.Commit("web 1.27", ("apps/web/deployment.yaml", GitOpsManifests.Deployment("nginx:1.27")));
        await using var harness = await GitOpsHarness.StartAsync();
        await harness.ApplyAsync("app.yaml", GitOpsManifests.Application("web", repo.Url, "apps/web", GitOpsManifests.AutomatedSelfHeal));
        await Poll.UntilAsync(() => (string?)harness.Application("web")?["status"]?["sync"]?["status"] == "Synced", GitOpsHarness.Deadline, "the first sync " + harness.Errors());

        (await harness.KubectlAsync("patch", "application/web", "-n", "argocd", "--type", "merge", "-p", pause)).ShouldSucceed();
        (await harness.KubectlAsync("set", "image", "deployment/web", "web=nginx:1.26", "-n", "shop")).ShouldSucceed();

        await Poll.UntilAsync(() => (string?)harness.Application("web")?["status"]?["sync"]?["status"] == "OutOfSync", GitOpsHarness.Deadline, "the drift to be reported");
        var reconciled = (string?)harness.Application("web")!["status"]!["reconciledAt"];
        await Poll.UntilAsync(() => (string?)harness.Application("web")?["status"]?["reconciledAt"] != reconciled, GitOpsHarness.Deadline, "another comparison");
        await GitOpsHarness.StaysAsync(() => harness.Image() == "nginx:1.26", TimeSpan.FromSeconds(3), "the live image to stay while paused");
        Assert.Equal("OutOfSync", (string?)harness.Application("web")!["status"]!["sync"]!["status"]);
    }

    [Fact]
    public async Task ANewCommitIsSyncedAfterARefreshAndTheAnnotationIsRemoved()
    {
        using var repo = GitRepo.Create();
        repo.Commit("web 1.27", ("apps/web/deployment.yaml", GitOpsManifests.Deployment("nginx:1.27")));
        await using var harness = await GitOpsHarness.StartAsync();
        await harness.ApplyAsync("app.yaml", GitOpsManifests.Application("web", repo.Url, "apps/web", GitOpsManifests.AutomatedSelfHeal));
        await Poll.UntilAsync(() => (string?)harness.Application("web")?["status"]?["sync"]?["status"] == "Synced", GitOpsHarness.Deadline, "the first sync " + harness.Errors());

        var next = repo.Commit("web 1.28", ("apps/web/deployment.yaml", GitOpsManifests.Deployment("nginx:1.28")));
        (await harness.KubectlAsync("annotate", "application/web", "-n", "argocd", "argocd.argoproj.io/refresh=normal")).ShouldSucceed();

        await Poll.UntilAsync(
            () => (string?)harness.Application("web")?["status"]?["operationState"]?["syncResult"]?["revision"] == next && harness.Image() == "nginx:1.28",
            GitOpsHarness.Deadline,
            "the new commit to be synced " + harness.Errors());
        await Poll.UntilAsync(() => harness.Application("web")?["metadata"]?["annotations"]?[ArgoCdApplicationController.RefreshAnnotation] is null, GitOpsHarness.Deadline, "the refresh annotation to be removed");
        Assert.Equal(2, harness.Application("web")!["status"]!["history"]!.AsArray().Count);
    }

    [Fact]
    public async Task KustomizeImagesOverrideAndAppsOutsideTheArgoCdNamespaceAreTrackedWithTheirNamespace()
    {
        using var repo = GitRepo.Create();
        repo.Commit(
            "web through kustomize",
            ("deploy/deployment.yaml", GitOpsManifests.Deployment("nginx:1.27")),
            ("deploy/kustomization.yaml", """
                # Releases bump the tag here only.
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - deployment.yaml
                images:
                  - name: nginx
                    newName: registry.example.com/nginx
                    newTag: "1.29"
                """));
        await using var harness = await GitOpsHarness.StartAsync();
        await harness.ApplyAsync("app.yaml", GitOpsManifests.Application("web", repo.Url, "./deploy", GitOpsManifests.AutomatedSelfHeal, ns: "shop"));

        await Poll.UntilAsync(() => harness.Image() == "registry.example.com/nginx:1.29", GitOpsHarness.Deadline, "the overridden image " + harness.Errors());
        Assert.Equal("shop_web:apps/Deployment:shop/web", (string?)harness.Deployment()!["metadata"]!["annotations"]![ArgoCdApplicationController.TrackingIdAnnotation]);
        await Poll.UntilAsync(() => (string?)harness.Application("web", "shop")?["status"]?["sourceType"] == "Kustomize", GitOpsHarness.Deadline, "the source type");
    }

    [Fact]
    public async Task AnOperationWrittenWithKubectlSyncsAnEarlierRevisionWhileAutoSyncIsPaused()
    {
        using var repo = GitRepo.Create();
        var good = repo.Commit("web 1.27", ("apps/web/deployment.yaml", GitOpsManifests.Deployment("nginx:1.27")));
        repo.Commit("web 1.28", ("apps/web/deployment.yaml", GitOpsManifests.Deployment("nginx:1.28")));
        await using var harness = await GitOpsHarness.StartAsync();
        await harness.ApplyAsync("app.yaml", GitOpsManifests.Application("web", repo.Url, "apps/web", GitOpsManifests.AutomatedSelfHeal));
        await Poll.UntilAsync(() => harness.Image() == "nginx:1.28", GitOpsHarness.Deadline, "the first sync " + harness.Errors());

        // sync-kubectl.md: a top-level operation starts a sync without the API server; a rollback is one to an older revision.
        (await harness.KubectlAsync("patch", "application/web", "-n", "argocd", "--type", "merge", "-p",
            $$$$"""{"spec":{"syncPolicy":{"automated":{"enabled":false}}},"operation":{"initiatedBy":{"username":"responder"},"sync":{"revision":"{{{{good}}}}"}}}""")).ShouldSucceed();

        await Poll.UntilAsync(
            () => harness.Image() == "nginx:1.27" && (string?)harness.Application("web")?["status"]?["operationState"]?["syncResult"]?["revision"] == good,
            GitOpsHarness.Deadline,
            "the rollback sync " + harness.Errors());
        var app = harness.Application("web")!;
        Assert.Null(app["operation"]);
        Assert.Equal("responder", (string?)app["status"]!["operationState"]!["operation"]!["initiatedBy"]!["username"]);
        await Poll.UntilAsync(() => (string?)harness.Application("web")?["status"]?["sync"]?["status"] == "OutOfSync", GitOpsHarness.Deadline, "git HEAD to differ from the rolled-back live state");
        await GitOpsHarness.StaysAsync(() => harness.Image() == "nginx:1.27", TimeSpan.FromSeconds(3), "the rollback to stay while auto-sync is paused");
    }
}
