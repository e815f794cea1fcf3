using IncidentResponder.Simulator.GitOps;

namespace IncidentResponder.Simulator.Tests.GitOps;

/// <summary>
/// The emulated Argo CD application controller against real git repositories and the real kubectl: sync from git
/// with the tracking annotation, self-heal of a live change, no self-heal while auto-sync is paused, and a refresh
/// that picks up a new commit.
/// </summary>
public sealed class ArgoCdApplicationTests
{
    [Fact]
    public async Task Applies_git_manifests_with_the_tracking_annotation_and_reports_synced_at_the_commit()
    {
        using var repo = GitRepo.Create();
        var sha = repo.Commit("web 1.27", ("apps/web/deployment.yaml", GitOpsManifests.Deployment("nginx:1.27")), ("apps/web/settings.yaml", GitOpsManifests.ConfigMap));
        await using var harness = await GitOpsHarness.StartAsync();

        await harness.ApplyAsync("app.yaml", GitOpsManifests.Application("web", repo.Url, "apps/web", GitOpsManifests.AutomatedSelfHeal));

        await Eventually.TrueAsync(() => harness.Deployment() is not null, "the Deployment from git " + harness.Errors(), GitOpsHarness.Deadline);
        Assert.Equal("web:apps/Deployment:shop/web", (string?)harness.Deployment()!["metadata"]!["annotations"]![ArgoCdApplicationController.TrackingIdAnnotation]);
        // The sync applies one manifest after another: the ConfigMap may land a moment after the Deployment.
        var settings = await Eventually.ValueAsync(() => Task.FromResult(harness.Cluster.Store.Get(Storage.BuiltinResources.ConfigMaps, "shop", "web-settings")),
            "the ConfigMap from git " + harness.Errors(), GitOpsHarness.Deadline);
        Assert.Equal("web:/ConfigMap:shop/web-settings", (string?)settings["metadata"]?["annotations"]?[ArgoCdApplicationController.TrackingIdAnnotation]);

        await Eventually.TrueAsync(
            () => harness.Application("web")?["status"] is { } status
                && (string?)status["sync"]?["status"] == "Synced"
                && (string?)status["health"]?["status"] == "Healthy",
            "the Application Synced and Healthy " + harness.Errors(),
            GitOpsHarness.Deadline);
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
    public async Task Self_heal_reverts_a_live_image_change_within_seconds()
    {
        using var repo = GitRepo.Create();
        repo.Commit("web 1.27", ("apps/web/deployment.yaml", GitOpsManifests.Deployment("nginx:1.27")));
        await using var harness = await GitOpsHarness.StartAsync();
        await harness.ApplyAsync("app.yaml", GitOpsManifests.Application("web", repo.Url, "apps/web", GitOpsManifests.AutomatedSelfHeal));
        await Eventually.TrueAsync(() => (string?)harness.Application("web")?["status"]?["sync"]?["status"] == "Synced", "the first sync " + harness.Errors(), GitOpsHarness.Deadline);

        (await harness.KubectlAsync("set", "image", "deployment/web", "web=nginx:1.28", "-n", "shop")).ShouldSucceed();
        // The first self-heal after a sync is not delayed; the next one backs off 2s from that operation's finishedAt.
        await Eventually.TrueAsync(
            () => harness.Image() == "nginx:1.27" && (long?)harness.Application("web")?["status"]?["operationState"]?["operation"]?["sync"]?["autoHealAttemptsCount"] == 1,
            "self-heal to restore the image from git",
            TimeSpan.FromSeconds(10));
        (await harness.KubectlAsync("annotate", "deployment/web", "-n", "shop", "--overwrite", "example.com/unrelated=live")).ShouldSucceed();
        (await harness.KubectlAsync("patch", "deployment/web", "-n", "shop", "--type", "merge", "-p", """{"spec":{"replicas":5}}""")).ShouldSucceed();
        await Eventually.TrueAsync(
            () => (long?)harness.Deployment()?["spec"]?["replicas"] == 2 && (long?)harness.Application("web")?["status"]?["operationState"]?["operation"]?["sync"]?["autoHealAttemptsCount"] == 2,
            "self-heal to restore replicas from git",
            TimeSpan.FromSeconds(15));
        Assert.Equal("live", (string?)harness.Deployment()!["metadata"]!["annotations"]!["example.com/unrelated"]);
    }

    [Theory]
    [InlineData("""{"spec":{"syncPolicy":{"automated":{"enabled":false}}}}""")]
    [InlineData("""{"spec":{"syncPolicy":{"automated":null}}}""")]
    public async Task Drift_stays_while_auto_sync_is_paused_but_sync_status_is_still_computed(string pause)
    {
        using var repo = GitRepo.Create();
        repo.Commit("web 1.27", ("apps/web/deployment.yaml", GitOpsManifests.Deployment("nginx:1.27")));
        await using var harness = await GitOpsHarness.StartAsync();
        await harness.ApplyAsync("app.yaml", GitOpsManifests.Application("web", repo.Url, "apps/web", GitOpsManifests.AutomatedSelfHeal));
        await Eventually.TrueAsync(() => (string?)harness.Application("web")?["status"]?["sync"]?["status"] == "Synced", "the first sync " + harness.Errors(), GitOpsHarness.Deadline);

        (await harness.KubectlAsync("patch", "application/web", "-n", "argocd", "--type", "merge", "-p", pause)).ShouldSucceed();
        (await harness.KubectlAsync("set", "image", "deployment/web", "web=nginx:1.26", "-n", "shop")).ShouldSucceed();

        await Eventually.TrueAsync(() => (string?)harness.Application("web")?["status"]?["sync"]?["status"] == "OutOfSync", "the drift to be reported", GitOpsHarness.Deadline);
        var reconciled = (string?)harness.Application("web")!["status"]!["reconciledAt"];
        await Eventually.TrueAsync(() => (string?)harness.Application("web")?["status"]?["reconciledAt"] != reconciled, "another comparison", GitOpsHarness.Deadline);
        await GitOpsHarness.StaysAsync(() => harness.Image() == "nginx:1.26", TimeSpan.FromSeconds(3), "the live image to stay while paused");
        Assert.Equal("OutOfSync", (string?)harness.Application("web")!["status"]!["sync"]!["status"]);
    }

    [Fact]
    public async Task A_new_commit_is_synced_after_a_refresh_and_the_annotation_is_removed()
    {
        using var repo = GitRepo.Create();
        repo.Commit("web 1.27", ("apps/web/deployment.yaml", GitOpsManifests.Deployment("nginx:1.27")));
        await using var harness = await GitOpsHarness.StartAsync();
        await harness.ApplyAsync("app.yaml", GitOpsManifests.Application("web", repo.Url, "apps/web", GitOpsManifests.AutomatedSelfHeal));
        await Eventually.TrueAsync(() => (string?)harness.Application("web")?["status"]?["sync"]?["status"] == "Synced", "the first sync " + harness.Errors(), GitOpsHarness.Deadline);

        var next = repo.Commit("web 1.28", ("apps/web/deployment.yaml", GitOpsManifests.Deployment("nginx:1.28")));
        (await harness.KubectlAsync("annotate", "application/web", "-n", "argocd", "argocd.argoproj.io/refresh=normal")).ShouldSucceed();

        await Eventually.TrueAsync(
            () => (string?)harness.Application("web")?["status"]?["operationState"]?["syncResult"]?["revision"] == next && harness.Image() == "nginx:1.28",
            "the new commit to be synced " + harness.Errors(),
            GitOpsHarness.Deadline);
        await Eventually.TrueAsync(() => harness.Application("web")?["metadata"]?["annotations"]?[ArgoCdApplicationController.RefreshAnnotation] is null, "the refresh annotation to be removed", GitOpsHarness.Deadline);
        Assert.Equal(2, harness.Application("web")!["status"]!["history"]!.AsArray().Count);
    }

    [Fact]
    public async Task Kustomize_images_override_and_apps_outside_the_argo_cd_namespace_are_tracked_with_their_namespace()
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

        await Eventually.TrueAsync(() => harness.Image() == "registry.example.com/nginx:1.29", "the overridden image " + harness.Errors(), GitOpsHarness.Deadline);
        Assert.Equal("shop_web:apps/Deployment:shop/web", (string?)harness.Deployment()!["metadata"]!["annotations"]![ArgoCdApplicationController.TrackingIdAnnotation]);
        await Eventually.TrueAsync(() => (string?)harness.Application("web", "shop")?["status"]?["sourceType"] == "Kustomize", "the source type", GitOpsHarness.Deadline);
    }

    [Fact]
    public async Task An_operation_written_with_kubectl_syncs_an_earlier_revision_while_auto_sync_is_paused()
    {
        using var repo = GitRepo.Create();
        var good = repo.Commit("web 1.27", ("apps/web/deployment.yaml", GitOpsManifests.Deployment("nginx:1.27")));
        repo.Commit("web 1.28", ("apps/web/deployment.yaml", GitOpsManifests.Deployment("nginx:1.28")));
        await using var harness = await GitOpsHarness.StartAsync();
        await harness.ApplyAsync("app.yaml", GitOpsManifests.Application("web", repo.Url, "apps/web", GitOpsManifests.AutomatedSelfHeal));
        await Eventually.TrueAsync(() => harness.Image() == "nginx:1.28", "the first sync " + harness.Errors(), GitOpsHarness.Deadline);

        // sync-kubectl.md: a top-level operation starts a sync without the API server; a rollback is one to an older revision.
        (await harness.KubectlAsync("patch", "application/web", "-n", "argocd", "--type", "merge", "-p",
            $$$$"""{"spec":{"syncPolicy":{"automated":{"enabled":false}}},"operation":{"initiatedBy":{"username":"responder"},"sync":{"revision":"{{{{good}}}}"}}}""")).ShouldSucceed();

        await Eventually.TrueAsync(
            () => harness.Image() == "nginx:1.27" && (string?)harness.Application("web")?["status"]?["operationState"]?["syncResult"]?["revision"] == good,
            "the rollback sync " + harness.Errors(),
            GitOpsHarness.Deadline);
        var app = harness.Application("web")!;
        Assert.Null(app["operation"]);
        Assert.Equal("responder", (string?)app["status"]!["operationState"]!["operation"]!["initiatedBy"]!["username"]);
        await Eventually.TrueAsync(() => (string?)harness.Application("web")?["status"]?["sync"]?["status"] == "OutOfSync", "git HEAD to differ from the rolled-back live state", GitOpsHarness.Deadline);
        await GitOpsHarness.StaysAsync(() => harness.Image() == "nginx:1.27", TimeSpan.FromSeconds(3), "the rollback to stay while auto-sync is paused");
    }
}
