using IncidentResponder.Simulator.GitOps;

namespace IncidentResponder.Simulator.Tests.GitOps;

/// <summary>
/// The emulated Flux helm-controller against a real git repository and the real helm binary: install with the labels
/// helm-controller and Helm set, an upgrade when the values change in git, drift corrected only with
/// <c>driftDetection.mode: enabled</c>, suspend holding every change back, and a render failure reported, not thrown.
/// </summary>
public sealed class HelmReleaseTests
{
    private const string DriftEnabled = """
          driftDetection:
            mode: enabled
        """;

    private const string DriftWarn = """
          driftDetection:
            mode: warn
        """;

    [Fact]
    public async Task A_HelmRelease_installs_its_chart_from_git_with_the_release_labels_and_reports_the_release()
    {
        SkipWithoutHelm();
        using var repo = GitRepo.Create();
        repo.Commit("web chart", HelmCharts.Chart());
        await using var harness = await StartAsync(repo);
        await harness.ApplyAsync("release.yaml", HelmCharts.HelmRelease("1.28"));

        await Eventually.TrueAsync(() => harness.Image() == "nginx:1.28", "the release to install the chart " + harness.Errors(), GitOpsHarness.Deadline);
        var metadata = harness.Deployment()!["metadata"]!;
        Assert.Equal("web", (string?)metadata["labels"]![HelmReleaseController.NameLabel]);
        Assert.Equal("shop", (string?)metadata["labels"]![HelmReleaseController.NamespaceLabel]);
        Assert.Equal("Helm", (string?)metadata["labels"]!["app.kubernetes.io/managed-by"]);
        Assert.Equal("web", (string?)metadata["annotations"]!["meta.helm.sh/release-name"]);
        Assert.Equal("shop", (string?)metadata["annotations"]!["meta.helm.sh/release-namespace"]);
        Assert.Equal(2, (int?)harness.Deployment()!["spec"]!["replicas"]);

        await Eventually.TrueAsync(() => (string?)GitOpsHarness.Condition(harness.HelmRelease(), "Ready")?["status"] == "True", "the release to be Ready", GitOpsHarness.Deadline);
        var release = harness.HelmRelease()!;
        var status = release["status"]!;
        Assert.Equal("InstallSucceeded", (string?)GitOpsHarness.Condition(release, "Ready")!["reason"]);
        Assert.Equal("True", (string?)GitOpsHarness.Condition(release, "Released")!["status"]);
        Assert.Equal("0.1.0", (string?)status["lastAttemptedRevision"]);
        Assert.StartsWith("sha256:", (string?)status["lastAttemptedConfigDigest"], StringComparison.Ordinal);
        Assert.Equal((long?)release["metadata"]!["generation"], (long?)status["observedGeneration"]);
        Assert.Equal("flux-system/shop-web", (string?)status["helmChart"]);
        var snapshot = status["history"]![0]!;
        Assert.Equal(("web", "0.1.0", "deployed", 1), ((string?)snapshot["chartName"], (string?)snapshot["chartVersion"], (string?)snapshot["status"], (int?)snapshot["version"]));
        Assert.Equal((string?)status["lastAttemptedConfigDigest"], (string?)snapshot["configDigest"]);
        Assert.Contains("InstallSucceeded", harness.EventReasons("HelmRelease", "web", "shop"));
    }

    [Fact]
    public async Task A_release_in_flux_system_targets_another_namespace_under_the_composed_release_name()
    {
        SkipWithoutHelm();
        using var repo = GitRepo.Create();
        repo.Commit("web chart", HelmCharts.Chart());
        await using var harness = await StartAsync(repo);
        var release = HelmCharts.HelmRelease("1.28", """
              targetNamespace: web-prod
              install:
                createNamespace: true
            """).Replace("namespace: shop", "namespace: flux-system", StringComparison.Ordinal);
        await harness.ApplyAsync("release.yaml", release);

        // Upstream names the release [targetNamespace-]name and installs into the target namespace.
        await Eventually.TrueAsync(() => harness.Image("web-prod-web", "web-prod") == "nginx:1.28", "the release to install into its target namespace " + harness.Errors(), GitOpsHarness.Deadline);
        var metadata = harness.Deployment("web-prod-web", "web-prod")!["metadata"]!;
        Assert.Equal("flux-system", (string?)metadata["labels"]![HelmReleaseController.NamespaceLabel]);
        Assert.Equal("web-prod-web", (string?)metadata["annotations"]!["meta.helm.sh/release-name"]);
        Assert.Equal("web-prod", (string?)metadata["annotations"]!["meta.helm.sh/release-namespace"]);
        await Eventually.TrueAsync(() => (string?)harness.HelmRelease("web", "flux-system")?["status"]?["storageNamespace"] == "flux-system", "the storage namespace to default to the HelmRelease's", GitOpsHarness.Deadline);
    }

    [Fact]
    public async Task A_values_change_committed_to_git_upgrades_the_release_a_Kustomization_applies()
    {
        SkipWithoutHelm();
        using var repo = GitRepo.Create();
        repo.Commit("web chart and release", [.. HelmCharts.Chart(), ("deploy/web.yaml", HelmCharts.HelmRelease("1.27"))]);
        await using var harness = await StartAsync(repo);
        await harness.ApplyAsync("releases.yaml", HelmCharts.Kustomization);
        await Eventually.TrueAsync(() => harness.Image() == "nginx:1.27", "the release the Kustomization applies to install " + harness.Errors(), GitOpsHarness.Deadline);
        Assert.Equal("releases", (string?)harness.HelmRelease()!["metadata"]!["labels"]![FluxControllers.NameLabel]);
        var installed = (string?)harness.HelmRelease()!["status"]!["lastAttemptedConfigDigest"];

        repo.Commit("web 1.28", ("deploy/web.yaml", HelmCharts.HelmRelease("1.28")));

        await Eventually.TrueAsync(() => harness.Image() == "nginx:1.28", "the new values to upgrade the release " + harness.Errors(), GitOpsHarness.Deadline);
        await Eventually.TrueAsync(() => (string?)GitOpsHarness.Condition(harness.HelmRelease(), "Ready")?["reason"] == "UpgradeSucceeded", "the upgrade to be reported", GitOpsHarness.Deadline);
        var status = harness.HelmRelease()!["status"]!;
        Assert.NotEqual(installed, (string?)status["lastAttemptedConfigDigest"]);
        Assert.Equal([2, 1], status["history"]!.AsArray().Select(h => (int)h!["version"]!));
        Assert.Equal(["deployed", "superseded"], status["history"]!.AsArray().Select(h => (string)h!["status"]!));
    }

    [Fact]
    public async Task A_chart_change_is_released_only_when_its_version_is_bumped_and_deleting_the_release_uninstalls()
    {
        SkipWithoutHelm();
        using var repo = GitRepo.Create();
        repo.Commit("web chart", HelmCharts.Chart());
        await using var harness = await StartAsync(repo);
        await harness.ApplyAsync("release.yaml", HelmCharts.HelmRelease("1.28"));
        await Eventually.TrueAsync(() => harness.Image() == "nginx:1.28", "the release to install " + harness.Errors(), GitOpsHarness.Deadline);

        // Upstream's default reconcileStrategy, ChartVersion: a commit that keeps Chart.yaml's version is no new chart.
        var unbumped = repo.Commit("three replicas", ThreeReplicas(HelmCharts.Chart()));
        await Eventually.TrueAsync(() => (string?)harness.GitRepository("charts")?["status"]?["artifact"]?["revision"] == $"main@sha1:{unbumped}", "the source to see the commit", GitOpsHarness.Deadline);
        await ReconcileAsync(harness, "2026-01-01T00:00:00Z");
        Assert.Equal(2, (int?)harness.Deployment()!["spec"]!["replicas"]);

        repo.Commit("web chart 0.2.0", ThreeReplicas(HelmCharts.Chart(version: "0.2.0")));
        await Eventually.TrueAsync(() => (int?)harness.Deployment()?["spec"]?["replicas"] == 3, "the new chart version to be released " + harness.Errors(), GitOpsHarness.Deadline);
        await Eventually.TrueAsync(() => (string?)harness.HelmRelease()?["status"]?["history"]?[0]?["chartVersion"] == "0.2.0", "the upgrade to record the new chart version", GitOpsHarness.Deadline);
        Assert.Equal("0.2.0", (string?)harness.HelmRelease()!["status"]!["lastAttemptedRevision"]);

        (await harness.KubectlAsync("delete", "helmrelease.helm.toolkit.fluxcd.io/web", "-n", "shop")).ShouldSucceed();
        await Eventually.TrueAsync(() => harness.Deployment() is null, "deleting the HelmRelease to uninstall its objects " + harness.Errors(), GitOpsHarness.Deadline);
    }

    [Fact]
    public async Task With_drift_detection_enabled_a_manual_image_change_is_reverted_on_the_interval()
    {
        SkipWithoutHelm();
        using var repo = GitRepo.Create();
        repo.Commit("web chart", HelmCharts.Chart());
        await using var harness = await StartAsync(repo);
        await harness.ApplyAsync("release.yaml", HelmCharts.HelmRelease("1.28", DriftEnabled));
        await Eventually.TrueAsync(() => harness.Image() == "nginx:1.28", "the release to install " + harness.Errors(), GitOpsHarness.Deadline);

        (await harness.KubectlAsync("set", "image", "deployment/web", "web=nginx:1.26", "-n", "shop")).ShouldSucceed();

        await Eventually.TrueAsync(() => harness.Image() == "nginx:1.28", "drift detection to put the released image back", TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => harness.EventReasons("HelmRelease", "web", "shop").Contains("DriftCorrected"), "the correction to be recorded as an Event", GitOpsHarness.Deadline);
    }

    [Fact]
    public async Task Without_drift_detection_a_manual_image_change_stays_and_warn_only_reports_it()
    {
        SkipWithoutHelm();
        using var repo = GitRepo.Create();
        repo.Commit("web chart", HelmCharts.Chart());
        await using var harness = await StartAsync(repo);
        await harness.ApplyAsync("release.yaml", HelmCharts.HelmRelease("1.28"));
        await Eventually.TrueAsync(() => harness.Image() == "nginx:1.28", "the release to install " + harness.Errors(), GitOpsHarness.Deadline);

        (await harness.KubectlAsync("set", "image", "deployment/web", "web=nginx:1.26", "-n", "shop")).ShouldSucceed();
        await ReconcileAsync(harness, "2026-01-01T00:00:00Z");
        await GitOpsHarness.StaysAsync(() => harness.Image() == "nginx:1.26", TimeSpan.FromSeconds(3), "the manual image to stay with drift detection off (upstream's default)");
        Assert.Null(GitOpsHarness.Condition(harness.HelmRelease(), "Drifted"));

        (await harness.KubectlAsync("patch", "helmrelease.helm.toolkit.fluxcd.io/web", "-n", "shop", "--type", "merge",
            "-p", """{"spec":{"driftDetection":{"mode":"warn"}}}""")).ShouldSucceed();
        await Eventually.TrueAsync(() => (string?)GitOpsHarness.Condition(harness.HelmRelease(), "Drifted")?["status"] == "True", "warn mode to report the drift " + harness.Errors(), GitOpsHarness.Deadline);
        Assert.Contains("Deployment/shop/web", (string?)GitOpsHarness.Condition(harness.HelmRelease(), "Drifted")!["message"], StringComparison.Ordinal);
        await ReconcileAsync(harness, "2026-01-01T00:01:00Z");
        Assert.Equal("nginx:1.26", harness.Image());
    }

    [Fact]
    public async Task A_suspended_release_applies_nothing_and_a_values_change_waits_for_resume()
    {
        SkipWithoutHelm();
        using var repo = GitRepo.Create();
        repo.Commit("web chart", HelmCharts.Chart());
        await using var harness = await StartAsync(repo);
        await harness.ApplyAsync("release.yaml", HelmCharts.HelmRelease("1.28", "  suspend: true"));
        await GitOpsHarness.StaysAsync(() => harness.Deployment() is null, TimeSpan.FromSeconds(3), "nothing to be installed while suspended");
        Assert.Null(harness.HelmRelease()!["status"]?["history"]);

        await PatchAsync(harness, """{"spec":{"suspend":null}}""");
        await Eventually.TrueAsync(() => harness.Image() == "nginx:1.28", "the resumed release to install " + harness.Errors(), GitOpsHarness.Deadline);

        // As `flux suspend hr` does: a merge patch setting spec.suspend; then the fix lands in spec.values.
        await PatchAsync(harness, """{"spec":{"suspend":true}}""");
        await PatchAsync(harness, """{"spec":{"values":{"image":{"tag":"1.29"}}}}""");
        await GitOpsHarness.StaysAsync(() => harness.Image() == "nginx:1.28", TimeSpan.FromSeconds(3), "the values change to wait while suspended");

        await PatchAsync(harness, """{"spec":{"suspend":null}}""");
        await Eventually.TrueAsync(() => harness.Image() == "nginx:1.29", "resuming to upgrade with the new values " + harness.Errors(), GitOpsHarness.Deadline);
    }

    [Fact]
    public async Task A_fix_committed_to_the_values_while_the_release_is_suspended_is_released_on_resume_only()
    {
        SkipWithoutHelm();
        using var repo = GitRepo.Create();
        repo.Commit("web chart and release", [.. HelmCharts.Chart(), ("deploy/web.yaml", HelmCharts.HelmRelease("1.27"))]);
        await using var harness = await StartAsync(repo);
        await harness.ApplyAsync("releases.yaml", HelmCharts.Kustomization);
        await Eventually.TrueAsync(() => harness.Image() == "nginx:1.27", "the release to install " + harness.Errors(), GitOpsHarness.Deadline);

        // The operator's order: suspend the release, roll the Deployment back in the cluster, commit the fix, resume.
        await PatchAsync(harness, """{"spec":{"suspend":true}}""");
        (await harness.KubectlAsync("set", "image", "deployment/web", "web=nginx:1.25", "-n", "shop")).ShouldSucceed();
        repo.Commit("web: pin 1.25", ("deploy/web.yaml", HelmCharts.HelmRelease("1.25")));
        await Eventually.TrueAsync(() => (string?)harness.HelmRelease()?["spec"]?["values"]?["image"]?["tag"] == "1.25", "the Kustomization to apply the committed values " + harness.Errors(), GitOpsHarness.Deadline);
        Assert.True((bool?)harness.HelmRelease()!["spec"]!["suspend"], "the Kustomization keeps a suspend git does not declare");
        var digestBefore = (string?)harness.HelmRelease()!["status"]!["lastAttemptedConfigDigest"];
        await GitOpsHarness.StaysAsync(() => (string?)harness.HelmRelease()!["status"]!["lastAttemptedConfigDigest"] == digestBefore, TimeSpan.FromSeconds(2), "no release attempt while suspended");

        await PatchAsync(harness, """{"spec":{"suspend":null}}""");
        await Eventually.TrueAsync(() => (string?)GitOpsHarness.Condition(harness.HelmRelease(), "Ready")?["reason"] == "UpgradeSucceeded", "resuming to upgrade with the committed fix " + harness.Errors(), GitOpsHarness.Deadline);
        Assert.Equal("nginx:1.25", harness.Image());
    }

    [Fact]
    public async Task Deleting_a_suspended_release_leaves_what_it_installed()
    {
        SkipWithoutHelm();
        using var repo = GitRepo.Create();
        repo.Commit("web chart", HelmCharts.Chart());
        await using var harness = await StartAsync(repo);
        await harness.ApplyAsync("release.yaml", HelmCharts.HelmRelease("1.28"));
        await Eventually.TrueAsync(() => harness.Image() == "nginx:1.28", "the release to install " + harness.Errors(), GitOpsHarness.Deadline);

        await PatchAsync(harness, """{"spec":{"suspend":true}}""");
        (await harness.KubectlAsync("delete", "helmrelease.helm.toolkit.fluxcd.io/web", "-n", "shop")).ShouldSucceed();

        await GitOpsHarness.StaysAsync(() => harness.Image() == "nginx:1.28", TimeSpan.FromSeconds(3), "the workload of a release deleted while suspended to stay");
    }

    [Fact]
    public async Task A_chart_helm_cannot_render_is_Ready_False_with_helms_message()
    {
        SkipWithoutHelm();
        using var repo = GitRepo.Create();
        repo.Commit("broken chart", HelmCharts.Chart(template: HelmCharts.BrokenTemplate));
        await using var harness = await StartAsync(repo);
        await harness.ApplyAsync("release.yaml", HelmCharts.HelmRelease("1.28"));

        await Eventually.TrueAsync(() => GitOpsHarness.Condition(harness.HelmRelease(), "Ready") is not null, "the release to report " + harness.Errors(), GitOpsHarness.Deadline);
        var ready = GitOpsHarness.Condition(harness.HelmRelease(), "Ready")!;
        Assert.Equal(("False", "InstallFailed"), ((string?)ready["status"], (string?)ready["reason"]));
        Assert.Contains("Helm install failed for release shop/web with chart web@0.1.0", (string?)ready["message"], StringComparison.Ordinal);
        Assert.Contains("nil pointer", (string?)ready["message"], StringComparison.Ordinal);
        Assert.Empty(harness.Cluster.GitOps!.Helm.Errors);
    }

    [Fact]
    public async Task A_HelmRepository_source_is_reported_as_not_simulated()
    {
        using var repo = GitRepo.Create();
        repo.Commit("web chart", HelmCharts.Chart());
        await using var harness = await StartAsync(repo);
        await harness.ApplyAsync("release.yaml", HelmCharts.HelmRelease("1.28", sourceKind: "HelmRepository"));

        await Eventually.TrueAsync(() => GitOpsHarness.Condition(harness.HelmRelease(), "Ready") is not null, "the release to report " + harness.Errors(), GitOpsHarness.Deadline);
        var ready = GitOpsHarness.Condition(harness.HelmRelease(), "Ready")!;
        Assert.Equal(("False", "InvalidChartReference"), ((string?)ready["status"], (string?)ready["reason"]));
        Assert.Contains("HelmRepository", (string?)ready["message"], StringComparison.Ordinal);
        Assert.Null(harness.Deployment());
    }

    private static (string File, string Content)[] ThreeReplicas((string File, string Content)[] chart) =>
        [.. chart.Select(f => (f.File, f.Content.Replace("replicas: 2", "replicas: 3", StringComparison.Ordinal)))];

    private static void SkipWithoutHelm()
    {
        if (ProcessRunner.Find("helm", "HELM") is null)
        {
            Assert.Skip("helm is not installed (on PATH or in $HELM), so charts cannot be rendered here.");
        }
    }

    private static async Task<ClusterHarness> StartAsync(GitRepo repo)
    {
        var harness = await GitOpsHarness.StartAsync();
        harness.Cluster.Options.GitOps!.Repositories[HelmCharts.RemoteUrl] = repo.Path;
        await harness.ApplyAsync("source.yaml", HelmCharts.Source);
        return harness;
    }

    private static async Task PatchAsync(ClusterHarness harness, string patch) =>
        (await harness.KubectlAsync("patch", "helmrelease.helm.toolkit.fluxcd.io/web", "-n", "shop", "--type", "merge",
            "--field-manager=flux-client-side-apply", "-p", patch)).ShouldSucceed();

    // `flux reconcile hr` annotates with a new requestedAt; the echo proves a whole reconcile ran since.
    private static async Task ReconcileAsync(ClusterHarness harness, string requestedAt)
    {
        (await harness.KubectlAsync("annotate", "--overwrite", "helmrelease.helm.toolkit.fluxcd.io/web", "-n", "shop", $"{FluxControllers.RequestedAtAnnotation}={requestedAt}")).ShouldSucceed();
        await Eventually.TrueAsync(() => (string?)harness.HelmRelease()?["status"]?["lastHandledReconcileAt"] == requestedAt, "the requested reconcile to be handled " + harness.Errors(), GitOpsHarness.Deadline);
    }
}
