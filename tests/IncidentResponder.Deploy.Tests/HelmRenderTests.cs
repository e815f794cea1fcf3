using IncidentResponder.Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace IncidentResponder.Deploy.Tests;

/// <summary>
/// The chart rendered by the real helm (skipped, with the reason, where helm is not installed): it lints, and each
/// combination of values yields the objects, scopes and security settings that the kustomize install has.
/// </summary>
public sealed class HelmRenderTests
{
    private const string ReleaseNamespace = "ops";

    private static readonly HashSet<string> ClusterScopedKinds = ["ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition"];

    private static async Task<IReadOnlyList<YamlMappingNode>> RenderAsync(params string[] set)
    {
        Helm.SkipWithoutHelm();
        return await Helm.TemplateAsync(ReleaseNamespace, set);
    }

    private static YamlMappingNode Manager(IReadOnlyList<YamlMappingNode> objects) => objects.Single(o => o.Kind() == "Deployment");

    private static IReadOnlyList<string> Args(IReadOnlyList<YamlMappingNode> objects) =>
        Assert.Single(Manager(objects).Seq("spec.template.spec.containers")).Strings("args");

    [Fact]
    public async Task The_chart_passes_strict_lint()
    {
        Helm.SkipWithoutHelm();

        var output = await Helm.LintAsync();

        Assert.Contains("0 chart(s) failed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Default_values_render_a_complete_install_in_the_release_namespace()
    {
        var objects = await RenderAsync();

        Assert.All(objects, o =>
        {
            Assert.False(string.IsNullOrEmpty(o.Str("apiVersion")) || string.IsNullOrEmpty(o.Kind()) || string.IsNullOrEmpty(o.Name()), $"incomplete object {o.Describe()}");
            Assert.Equal(ClusterScopedKinds.Contains(o.Kind()) ? null : ReleaseNamespace, o.Namespace());
        });
        var kinds = objects.GroupBy(o => o.Kind()).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(3, kinds["CustomResourceDefinition"]);
        Assert.Equal(1, kinds["ServiceAccount"]);
        Assert.Equal(1, kinds["Deployment"]);
        Assert.Equal(1, kinds["Service"]);
        Assert.Equal(1, kinds["ClusterRoleBinding"]);
        Assert.Equal(4, kinds["ClusterRole"]); // the manager, edit and view aggregates, and on-call for kubectl incident
        Assert.Equal(1, kinds["Role"]);
    }

    [Fact]
    public async Task The_rendered_manager_pod_meets_the_same_security_bar_as_config_manager()
    {
        var objects = await RenderAsync();

        ManagerPod.Of(Manager(objects)).AssertAll();
        Assert.Equal(new[] { "run", "--leader-elect", "--metrics-bind-address=:9463", "--health-probe-bind-address=:9464" }, Args(objects));
    }

    [Fact]
    public async Task Rendered_roles_carry_exactly_the_config_rbac_rules()
    {
        var objects = await RenderAsync();
        var installed = await Installed.ObjectsAsync();

        foreach (var role in installed.Where(o => o.Kind() is "Role" or "ClusterRole"))
        {
            var suffix = role.Name()["incident-responder".Length..]; // e.g. "-manager"
            var rendered = Assert.Single(objects, o => o.Kind() == role.Kind() && o.Name().EndsWith(suffix, StringComparison.Ordinal));
            Assert.Equal(RbacRule.GrantsOf(RbacRule.Of(role)).Select(g => g.ToString()).Order(), RbacRule.GrantsOf(RbacRule.Of(rendered)).Select(g => g.ToString()).Order());
            Assert.Equal(
                role.At("metadata.labels").Entry("rbac.authorization.k8s.io/aggregate-to-view"),
                rendered.At("metadata.labels").Entry("rbac.authorization.k8s.io/aggregate-to-view"));
            Assert.Equal(
                role.At("metadata.labels").Entry("rbac.authorization.k8s.io/aggregate-to-edit"),
                rendered.At("metadata.labels").Entry("rbac.authorization.k8s.io/aggregate-to-edit"));
        }
    }

    [Fact]
    public async Task Watching_listed_namespaces_binds_the_manager_rules_only_there()
    {
        var objects = await RenderAsync("watchNamespaces={team-a,team-b}");

        var manager = objects.Single(o => o.Kind() == "ClusterRole" && o.Name().EndsWith("-manager", StringComparison.Ordinal)).Name();
        Assert.DoesNotContain(objects, o => o.Kind() == "ClusterRoleBinding");
        var bindings = objects.Where(o => o.Kind() == "RoleBinding" && o.Str("roleRef.name") == manager).Select(o => o.Namespace()).Order();
        Assert.Equal(new[] { "team-a", "team-b" }, bindings);
        Assert.Equal(new[] { "--namespace=team-a", "--namespace=team-b" }, Args(objects).Where(a => a.StartsWith("--namespace", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("watchNamespaces={}")]
    [InlineData("watchNamespaces={team-a,team-b}")]
    public async Task No_role_that_touches_secrets_is_bound_cluster_wide(string watchNamespaces)
    {
        var objects = await RenderAsync(watchNamespaces);

        var touchesSecrets = objects
            .Where(o => o.Kind() == "ClusterRole" && RbacRule.GrantsOf(RbacRule.Of(o)).Any(g => g.Resource == "secrets"))
            .Select(o => o.Name())
            .ToHashSet();
        Assert.DoesNotContain(objects, o => o.Kind() == "ClusterRoleBinding" && touchesSecrets.Contains(o.Str("roleRef.name")!));
    }

    [Fact]
    public async Task Switching_off_leader_election_and_the_metrics_service_removes_them()
    {
        var objects = await RenderAsync("leaderElection.enabled=false", "metrics.service.enabled=false");

        Assert.DoesNotContain(objects, o => o.Kind() is "Role" or "Service");
        Assert.DoesNotContain("--leader-elect", Args(objects));
    }

    [Fact]
    public async Task Image_log_level_and_scheduling_values_reach_the_pod()
    {
        var objects = await RenderAsync("image.repository=registry.example/ir", "image.tag=1.2.3", "logLevel=Debug", "nodeSelector.pool=ops", "replicaCount=2");

        var deployment = Manager(objects);
        var container = Assert.Single(deployment.Seq("spec.template.spec.containers"));
        Assert.Equal("registry.example/ir:1.2.3", container.Str("image"));
        Assert.Contains(container.Seq("env"), e => e.Str("name") == "Logging__LogLevel__Default" && e.Str("value") == "Debug");
        Assert.Equal("ops", deployment.Str("spec.template.spec.nodeSelector.pool"));
        Assert.Equal("2", deployment.Str("spec.replicas"));
    }
}
