using CsCheck;
using IncidentResponder.Core.GitOps;

namespace IncidentResponder.Core.Tests.GitOps;

public sealed class GitOpsOwnershipTests
{
    private static readonly GitOpsSettings Defaults = new();

    [Fact]
    public void Argo_cds_tracking_annotation_names_the_application_in_argo_cds_namespace()
    {
        var owner = Find(annotations: new() { [ArgoCdTrackingId.Annotation] = "guestbook:apps/Deployment:shop/web" });

        Assert.Equal(new GitOpsOwner(GitOpsTool.ArgoCD, "Application", "argocd", "guestbook", "annotation argocd.argoproj.io/tracking-id=guestbook:apps/Deployment:shop/web"), owner);
    }

    [Fact]
    public void An_application_outside_argo_cds_namespace_is_named_namespace_underscore_name()
    {
        var owner = Find(annotations: new() { [ArgoCdTrackingId.Annotation] = "team-a_guestbook:apps/Deployment:shop/web" });

        Assert.Equal(("team-a", "guestbook"), (owner!.Namespace, owner.Name));
    }

    [Fact]
    public void A_tracking_annotation_copied_from_another_object_is_ignored_as_argo_cd_ignores_it()
    {
        Assert.Null(Find(annotations: new() { [ArgoCdTrackingId.Annotation] = "guestbook:apps/Deployment:shop/other" }, instanceLabel: null));
        Assert.Null(Find(annotations: new() { [ArgoCdTrackingId.Annotation] = "guestbook:apps/StatefulSet:shop/web" }, instanceLabel: null));
    }

    [Fact]
    public void The_instance_label_is_argo_cds_label_tracking_unless_the_cluster_turned_it_off()
    {
        var labels = new Dictionary<string, string> { ["app.kubernetes.io/instance"] = "guestbook" };

        Assert.Equal(new GitOpsOwner(GitOpsTool.ArgoCD, "Application", "argocd", "guestbook", "label app.kubernetes.io/instance=guestbook"), Find(labels: labels));
        Assert.Null(Find(labels: labels, instanceLabel: null));
        Assert.Equal("guestbook", Find(labels: new() { ["argocd.argoproj.io/instance"] = "guestbook" }, instanceLabel: "argocd.argoproj.io/instance")!.Name);
    }

    [Fact]
    public void Flux_labels_name_the_kustomization_or_the_helm_release_and_the_release_wins()
    {
        var kustomized = new Dictionary<string, string> { ["kustomize.toolkit.fluxcd.io/name"] = "apps", ["kustomize.toolkit.fluxcd.io/namespace"] = "flux-system" };
        var rendered = new Dictionary<string, string>(kustomized) { ["helm.toolkit.fluxcd.io/name"] = "podinfo", ["helm.toolkit.fluxcd.io/namespace"] = "shop" };

        Assert.Equal((GitOpsTool.Flux, "Kustomization", "flux-system", "apps"), Key(Find(labels: kustomized)));
        Assert.Equal((GitOpsTool.Flux, "HelmRelease", "shop", "podinfo"), Key(Find(labels: rendered)));
        // A chart's own instance label does not outrank Flux's labels.
        rendered["app.kubernetes.io/instance"] = "podinfo";
        Assert.Equal(GitOpsTool.Flux, Find(labels: rendered)!.Tool);
    }

    [Fact]
    public void Half_a_flux_label_pair_is_not_ownership()
    {
        Assert.Null(Find(labels: new() { ["kustomize.toolkit.fluxcd.io/name"] = "apps" }, instanceLabel: null));
    }

    [Fact]
    public void A_workload_nobody_marks_has_no_owner()
    {
        Assert.Null(Find(labels: new() { ["app"] = "web" }));
    }

    [Fact]
    public void A_kustomizations_inventory_confirms_the_workload_by_namespace_name_group_and_kind()
    {
        string[] inventory = ["shop_web_apps_Deployment", "shop_web__Service", "shop_flags__ConfigMap"];

        Assert.True(GitOpsOwnership.InventoryLists(inventory, "apps", "Deployment", "shop", "web"));
        Assert.False(GitOpsOwnership.InventoryLists(inventory, "apps", "Deployment", "shop", "api"));
        Assert.False(GitOpsOwnership.InventoryLists(inventory, "apps", "StatefulSet", "shop", "web"));
        Assert.False(GitOpsOwnership.InventoryLists(null, "apps", "Deployment", "shop", "web"));
    }

    [Theory]
    [InlineData("my-app:/ConfigMap:ns/cm", "my-app", "", "ConfigMap", "ns", "cm")]
    [InlineData("a:apps/Deployment:shop/web", "a", "apps", "Deployment", "shop", "web")]
    [InlineData("a:apps/Deployment:/cluster-scoped", "a", "apps", "Deployment", "", "cluster-scoped")]
    public void Tracking_ids_parse_as_argo_cd_splits_them(string value, string app, string group, string kind, string ns, string name)
    {
        Assert.True(ArgoCdTrackingId.TryParse(value, out var id));
        Assert.Equal(new ArgoCdTrackingId(app, group, kind, ns, name), id);
        Assert.Equal(value, id.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("guestbook")]
    [InlineData("guestbook:apps/Deployment")]
    [InlineData(":apps/Deployment:shop/web")]
    [InlineData("a:Deployment:shop/web")]
    [InlineData("a:apps/Deployment:web")]
    [InlineData("a:apps/Deployment/x:shop/web")]
    [InlineData("a:apps/:shop/web")]
    [InlineData("a:apps/Deployment:shop/")]
    public void Malformed_tracking_ids_are_refused(string? value)
    {
        Assert.False(ArgoCdTrackingId.TryParse(value, out var id));
        Assert.Null(id);
    }

    [Fact]
    public void Parsing_any_text_never_throws_and_what_parses_prints_back_the_same()
    {
        // Tracking ids are built from the alphabet that matters to the parser, so colons and slashes land everywhere.
        var text = Gen.String[Gen.Char["ab:/_-."], 0, 40];
        text.Sample(value =>
        {
            if (ArgoCdTrackingId.TryParse(value, out var id))
            {
                Assert.Equal(value, id.ToString());
                Assert.True(ArgoCdTrackingId.TryParse(id.ToString(), out var again));
                Assert.Equal(id, again);
            }
        }, iter: 20_000);
    }

    private static (GitOpsTool, string, string, string)? Key(GitOpsOwner? owner) =>
        owner is null ? null : (owner.Tool, owner.Kind, owner.Namespace, owner.Name);

    private static GitOpsOwner? Find(Dictionary<string, string>? labels = null, Dictionary<string, string>? annotations = null, string? instanceLabel = GitOpsOwnership.DefaultInstanceLabel) =>
        GitOpsOwnership.Find("apps", "Deployment", "shop", "web", labels, annotations, Defaults with { ArgoCdInstanceLabel = instanceLabel });
}
