using IncidentResponder.Core.GitOps;

namespace IncidentResponder.Core.Tests.GitOps;

public sealed class WriteBackPlannerTests
{
    private const string Deployment = """
        # The storefront. Owned by team shop.
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web   # keep in step with the Service
        spec:
          replicas: 3 # three zones
          template:
            spec:
              containers:
                - name: nginx
                  # bumped for the TLS fix
                  image: nginx:1.26 # the bad one
                  resources:
                    limits: {memory: 256Mi}
                - name: sidecar
                  image: 'envoy:1.30'
        """;

    private static readonly WriteBackChange Rollback = new("Deployment", "web", "nginx", WriteBackChange.Image, "nginx:1.26", "nginx:1.25");

    private static WriteBackPlan Plan(IReadOnlyDictionary<string, string> files, params WriteBackChange[] changes) =>
        WriteBackPlanner.Plan("apps/web", files, changes);

    private static string[] ChangedLines(string before, string after) =>
        [.. before.Split('\n').Zip(after.Split('\n')).Where(pair => pair.First != pair.Second).Select(pair => pair.Second)];

    [Fact]
    public void A_plain_manifest_gets_exactly_its_image_line_changed_with_the_comment_kept()
    {
        var plan = Plan(new Dictionary<string, string> { ["deployment.yaml"] = Deployment }, Rollback);

        Assert.Null(plan.Refusal);
        var edited = Assert.Single(plan.EditedFiles);
        Assert.Equal("deployment.yaml", edited.Key);
        Assert.Equal(["          image: nginx:1.25 # the bad one"], ChangedLines(Deployment, edited.Value));
        Assert.Equal(Deployment.Length, edited.Value.Length);
    }

    [Fact]
    public void A_value_git_already_declares_is_a_no_op()
    {
        var files = new Dictionary<string, string> { ["deployment.yaml"] = Deployment.Replace("nginx:1.26", "nginx:1.25", StringComparison.Ordinal) };

        var plan = Plan(files, Rollback);

        Assert.True(plan.AlreadyHolds);
        Assert.Equal((true, null), WriteBackPlanner.Holds("apps/web", files, [Rollback]));
        Assert.Equal(false, WriteBackPlanner.Holds("apps/web", new Dictionary<string, string> { ["d.yaml"] = Deployment }, [Rollback]).Holds);
    }

    [Fact]
    public void Memory_limit_and_replicas_are_edited_in_the_plain_manifest()
    {
        var plan = Plan(new Dictionary<string, string> { ["deployment.yaml"] = Deployment },
            new WriteBackChange("Deployment", "web", "nginx", WriteBackChange.MemoryLimit, "256Mi", "384Mi"),
            new WriteBackChange("Deployment", "web", null, WriteBackChange.Replicas, "3", "5"));

        Assert.Equal(["  replicas: 5 # three zones", "            limits: {memory: 384Mi}"], ChangedLines(Deployment, plan.EditedFiles["deployment.yaml"]));
        Assert.Equal(2, plan.Edits.Count);
    }

    [Fact]
    public void A_workload_no_file_declares_is_refused_with_what_to_do_by_hand()
    {
        var plan = Plan(new Dictionary<string, string> { ["service.yaml"] = "kind: Service\nmetadata: {name: web}\n" }, Rollback);

        Assert.Equal(WriteBackRefusal.NotFound, plan.Refusal);
        Assert.Equal("no manifest under path apps/web declares Deployment web; it may be generated: change image to nginx:1.25 by hand", plan.Reason);
    }

    [Fact]
    public void A_third_value_in_git_is_refused_as_a_conflict_and_nothing_is_written()
    {
        var plan = Plan(new Dictionary<string, string> { ["deployment.yaml"] = Deployment.Replace("nginx:1.26", "nginx:1.27", StringComparison.Ordinal) }, Rollback);

        Assert.Equal(WriteBackRefusal.Conflict, plan.Refusal);
        Assert.Contains("nginx:1.27", plan.Reason, StringComparison.Ordinal);
        Assert.Empty(plan.EditedFiles);
    }

    [Fact]
    public void A_kustomize_images_override_is_edited_instead_of_the_base_manifest()
    {
        const string kustomization = """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources:
              - deployment.yaml   # the base
            images:
              - name: nginx
                newTag: "1.26"    # release 42
            """;
        var files = new Dictionary<string, string>
        {
            ["kustomization.yaml"] = kustomization,
            ["deployment.yaml"] = Deployment.Replace("nginx:1.26", "nginx:1.20", StringComparison.Ordinal),
        };

        var plan = Plan(files, Rollback);

        var edited = Assert.Single(plan.EditedFiles);
        Assert.Equal("kustomization.yaml", edited.Key);
        Assert.Equal(["    newTag: \"1.25\"    # release 42"], ChangedLines(kustomization, edited.Value));
    }

    [Fact]
    public void A_kustomize_override_with_a_new_name_and_digest_gets_both_edited()
    {
        const string kustomization = """
            images:
            - name: nginx
              newName: registry.example.com/shop/nginx
              digest: sha256:bad
            """;
        var change = new WriteBackChange("Deployment", "web", "nginx", WriteBackChange.Image,
            "registry.example.com/shop/nginx@sha256:bad", "registry.example.com/mirror/nginx@sha256:good");

        var plan = Plan(new Dictionary<string, string> { ["overlays/prod/kustomization.yml"] = kustomization }, change);

        Assert.Equal(["  newName: registry.example.com/mirror/nginx", "  digest: sha256:good"],
            ChangedLines(kustomization, plan.EditedFiles["overlays/prod/kustomization.yml"]));
    }

    [Fact]
    public void A_kustomize_override_without_a_tag_is_refused_with_the_line_to_add()
    {
        var plan = Plan(new Dictionary<string, string> { ["kustomization.yaml"] = "images:\n- name: nginx\n  newName: nginx\n" }, Rollback);

        Assert.Equal(WriteBackRefusal.Unsupported, plan.Refusal);
        Assert.Contains("add newTag: 1.25", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_helm_release_value_holding_the_whole_image_is_edited()
    {
        const string release = """
            apiVersion: helm.toolkit.fluxcd.io/v2
            kind: HelmRelease
            metadata: {name: shop}
            spec:
              chart: {spec: {chart: web}}
              values:
                web:
                  image: "nginx:1.26"  # pinned by release
                  replicas: 3
            """;

        var plan = Plan(new Dictionary<string, string> { ["release.yaml"] = release }, Rollback with { Container = null });

        Assert.Equal(["      image: \"nginx:1.25\"  # pinned by release"], ChangedLines(release, plan.EditedFiles["release.yaml"]));
    }

    [Fact]
    public void A_helm_release_value_holding_the_tag_next_to_its_repository_is_edited()
    {
        const string release = """
            apiVersion: helm.toolkit.fluxcd.io/v2
            kind: HelmRelease
            metadata: {name: shop}
            spec:
              values:
                image:
                  repository: nginx
                  tag: 1.26   # app version
                other: {tag: 1.26}
            """;

        var plan = Plan(new Dictionary<string, string> { ["release.yaml"] = release }, Rollback);

        Assert.Equal(["      tag: 1.25   # app version"], ChangedLines(release, plan.EditedFiles["release.yaml"]));
    }

    [Fact]
    public void Memory_limits_are_not_looked_for_in_helm_values()
    {
        const string release = "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: web}\nspec:\n  values: {memory: 256Mi}\n";

        var plan = Plan(new Dictionary<string, string> { ["release.yaml"] = release },
            new WriteBackChange("Deployment", "web", "nginx", WriteBackChange.MemoryLimit, "256Mi", "384Mi"));

        Assert.Equal(WriteBackRefusal.NotFound, plan.Refusal);
    }

    [Fact]
    public void Images_parse_as_kustomize_matches_them()
    {
        Assert.Equal(new ImageReference("registry:5000/app", "1.2", "sha256:abc"), ImageReference.Parse("registry:5000/app:1.2@sha256:abc"));
        Assert.Equal(new ImageReference("registry:5000/app", null, null), ImageReference.Parse("registry:5000/app"));
        Assert.Equal(new ImageReference("nginx", "1.25", null), ImageReference.Parse("nginx:1.25"));
    }
}
