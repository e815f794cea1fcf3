using IncidentResponder.Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace IncidentResponder.Deploy.Tests;

/// <summary>What `kubectl apply -k config/default` installs: every object well-formed, in the right namespace, complete.</summary>
public sealed class DefaultInstallTests
{
    private const string SystemNamespace = "incident-responder-system";

    private static readonly HashSet<string> ClusterScopedKinds =
        ["Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition"];

    private static Task<IReadOnlyList<YamlMappingNode>> RenderDefaultAsync() => Installed.ObjectsAsync();

    [Fact]
    public async Task Every_rendered_object_has_api_version_kind_and_name()
    {
        var objects = await RenderDefaultAsync();

        Assert.NotEmpty(objects);
        Assert.All(objects, o =>
        {
            Assert.False(string.IsNullOrEmpty(o.Str("apiVersion")), $"{o.Describe()} has no apiVersion");
            Assert.False(string.IsNullOrEmpty(o.Kind()), $"an object named {o.Name()} has no kind");
            Assert.False(string.IsNullOrEmpty(o.Name()), $"a {o.Kind()} has no metadata.name");
        });
        var duplicates = objects.GroupBy(o => $"{o.Str("apiVersion")}/{o.Describe()}").Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.Empty(duplicates);
    }

    [Fact]
    public async Task Namespaced_objects_land_in_the_system_namespace_and_cluster_objects_have_none()
    {
        var objects = await RenderDefaultAsync();

        Assert.All(objects, o =>
        {
            if (ClusterScopedKinds.Contains(o.Kind()))
            {
                Assert.True(o.Namespace() is null, $"{o.Describe()} is cluster-scoped but names namespace {o.Namespace()}");
            }
            else
            {
                Assert.True(o.Namespace() == SystemNamespace, $"{o.Describe()} is in namespace '{o.Namespace()}', not {SystemNamespace}");
            }
        });
    }

    [Fact]
    public async Task The_install_contains_the_crds_rbac_operator_and_its_namespace()
    {
        var objects = await RenderDefaultAsync();
        var present = objects.Select(o => o.Describe()).ToHashSet();

        string[] expected =
        [
            "CustomResourceDefinition/incidents.incidentresponder.dev",
            "CustomResourceDefinition/runbooks.incidentresponder.dev",
            "CustomResourceDefinition/remediationpolicies.incidentresponder.dev",
            $"Namespace/{SystemNamespace}",
            "ServiceAccount/incident-responder-controller-manager",
            "ClusterRole/incident-responder-manager",
            "ClusterRoleBinding/incident-responder-manager",
            "Role/incident-responder-leader-election",
            "RoleBinding/incident-responder-leader-election",
            "ClusterRole/incident-responder-view",
            "ClusterRole/incident-responder-edit",
            "Deployment/incident-responder-controller-manager",
            "Service/incident-responder-metrics",
        ];
        Assert.All(expected, e => Assert.Contains(e, present));
        Assert.Equal(3, objects.Count(o => o.Kind() == "CustomResourceDefinition"));
    }

    [Fact]
    public async Task Bindings_name_roles_and_service_accounts_that_are_installed()
    {
        var objects = await RenderDefaultAsync();
        var installed = objects.Select(o => (o.Kind(), o.Name(), o.Namespace())).ToHashSet();

        foreach (var binding in objects.Where(o => o.Kind() is "RoleBinding" or "ClusterRoleBinding"))
        {
            var roleKind = binding.Str("roleRef.kind")!;
            var roleNamespace = roleKind == "Role" ? binding.Namespace() : null;
            Assert.True(installed.Contains((roleKind, binding.Str("roleRef.name")!, roleNamespace)),
                $"{binding.Describe()} refers to {roleKind}/{binding.Str("roleRef.name")}, which is not installed");
            foreach (var subject in binding.Seq("subjects"))
            {
                Assert.Equal("ServiceAccount", subject.Str("kind"));
                Assert.True(installed.Contains(("ServiceAccount", subject.Str("name")!, subject.Str("namespace"))),
                    $"{binding.Describe()} binds ServiceAccount {subject.Str("namespace")}/{subject.Str("name")}, which is not installed");
            }
        }

        var deployment = objects.Single(o => o.Kind() == "Deployment");
        Assert.Contains(("ServiceAccount", deployment.Str("spec.template.spec.serviceAccountName")!, (string?)SystemNamespace), installed);
    }

    [Fact]
    public async Task The_metrics_service_selects_the_manager_pods_and_targets_the_metrics_port()
    {
        var objects = await RenderDefaultAsync();
        var deployment = objects.Single(o => o.Kind() == "Deployment");
        var service = objects.Single(o => o.Kind() == "Service");

        var podLabels = deployment.Map("spec.template.metadata.labels")!.Children
            .ToDictionary(kv => kv.Key.ToString(), kv => kv.Value.ToString());
        var selector = service.Map("spec.selector")!.Children;
        Assert.NotEmpty(selector);
        Assert.All(selector, kv => Assert.Equal(kv.Value.ToString(), podLabels.GetValueOrDefault(kv.Key.ToString())));

        var portNames = deployment.Seq("spec.template.spec.containers").SelectMany(c => c.Seq("ports")).Select(p => p.Str("name")).ToHashSet();
        Assert.All(service.Seq("spec.ports"), p => Assert.Contains(p.Str("targetPort"), portNames));
    }

    [Fact]
    public async Task The_namespace_enforces_the_restricted_pod_security_profile()
    {
        var objects = await RenderDefaultAsync();
        var ns = objects.Single(o => o.Kind() == "Namespace");

        Assert.Equal("restricted", ns.Label("pod-security.kubernetes.io/enforce"));
    }
}
