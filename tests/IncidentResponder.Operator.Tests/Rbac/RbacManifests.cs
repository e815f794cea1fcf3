using IncidentResponder.Operator.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace IncidentResponder.Operator.Tests.Rbac;

/// <summary>
/// Every grant the operator's ServiceAccount holds in what a cluster admin installs (<c>kubectl kustomize config/default</c>):
/// found through the bindings, not through a list of files, so a Role bound to the operator later cannot escape the
/// RBAC test. The aggregated view/edit ClusterRoles are left out by the same rule: nothing binds them to the operator;
/// they reach people through the built-in view/edit/admin roles.
/// </summary>
internal static class RbacManifests
{
    /// <param name="kubectl">Runs kustomize (no cluster involved).</param>
    /// <param name="operatorNamespace">
    /// Where the test runs what happens in the operator's own namespace (leader election): a RoleBinding there applies
    /// here, standing in for incident-responder-system.
    /// </param>
    public static async Task<IReadOnlyList<Permission>> OperatorGrantsAsync(Kubectl kubectl, string operatorNamespace)
    {
        var rendered = (await kubectl.RunAsync("kustomize", OperatorCluster.RepositoryPath("config/default"))).ShouldSucceed().Stdout;
        var objects = Documents(rendered);
        var (accountNamespace, accountName) = OperatorServiceAccount(objects);

        var grants = new List<Permission>();
        foreach (var binding in objects.Where(o => Kind(o) is "RoleBinding" or "ClusterRoleBinding" && BindsAccount(o, accountNamespace, accountName)))
        {
            var bindingNamespace = Kind(binding) == "RoleBinding" ? Namespace(binding) : null;
            var roleRef = (YamlMappingNode)binding["roleRef"];
            var roleKind = Scalar(roleRef, "kind");
            var roleName = Scalar(roleRef, "name");
            var role = objects.SingleOrDefault(o => Kind(o) == roleKind && Name(o) == roleName && (roleKind == "ClusterRole" || Namespace(o) == bindingNamespace));
            Assert.True(role is not null, $"{Kind(binding)} {Name(binding)} binds the operator to {roleKind} {roleName}, which config/default does not define: its rules cannot be checked");

            // A ClusterRoleBinding grants in every namespace (null); a RoleBinding only in its own.
            var scope = bindingNamespace == accountNamespace ? operatorNamespace : bindingNamespace;
            grants.AddRange(Rules(role, scope));
        }

        Assert.True(grants.Count > 0, $"nothing in config/default binds {accountNamespace}/{accountName} to a role");
        return grants;
    }

    /// <summary>The ServiceAccount the operator's Deployment runs as (the one rendered Deployment).</summary>
    private static (string Namespace, string Name) OperatorServiceAccount(IReadOnlyList<YamlMappingNode> objects)
    {
        var deployment = objects.Single(o => Kind(o) == "Deployment");
        var podSpec = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)deployment["spec"])["template"])["spec"];
        return (Namespace(deployment)!, Scalar(podSpec, "serviceAccountName"));
    }

    private static bool BindsAccount(YamlMappingNode binding, string accountNamespace, string accountName) =>
        binding.Children.TryGetValue("subjects", out var subjects)
        && ((YamlSequenceNode)subjects).Cast<YamlMappingNode>().Any(s =>
            Scalar(s, "kind") == "ServiceAccount" && Scalar(s, "name") == accountName && Scalar(s, "namespace") == accountNamespace);

    /// <summary>Each rule expanded to one permission per group × resource × verb, applying in <paramref name="scope"/>.</summary>
    private static IEnumerable<Permission> Rules(YamlMappingNode role, string? scope)
    {
        foreach (var rule in ((YamlSequenceNode)role["rules"]).Cast<YamlMappingNode>())
        {
            // resourceNames would narrow a rule below what Permission can express; no rule needs them today.
            Assert.False(rule.Children.ContainsKey("resourceNames"), $"{Name(role)}: resourceNames are not modelled by the RBAC test");

            // Non-resource URLs (/metrics, /healthz) are requests the simulator does not audit: listed so that they show as unused.
            foreach (var url in Strings(rule, "nonResourceURLs"))
            {
                foreach (var verb in Strings(rule, "verbs"))
                {
                    yield return new Permission(string.Empty, url, verb, scope);
                }
            }

            foreach (var group in Strings(rule, "apiGroups"))
            {
                foreach (var resource in Strings(rule, "resources"))
                {
                    foreach (var verb in Strings(rule, "verbs"))
                    {
                        yield return new Permission(group, resource, verb, scope);
                    }
                }
            }
        }
    }

    private static List<YamlMappingNode> Documents(string yaml)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(yaml))
        {
            stream.Load(reader);
        }

        return [.. stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>()];
    }

    private static string Kind(YamlMappingNode node) => Scalar(node, "kind");

    private static string Name(YamlMappingNode node) => Scalar((YamlMappingNode)node["metadata"], "name");

    private static string? Namespace(YamlMappingNode node) =>
        ((YamlMappingNode)node["metadata"]).Children.TryGetValue("namespace", out var value) ? ((YamlScalarNode)value).Value : null;

    private static string Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) ? ((YamlScalarNode)value).Value ?? string.Empty : string.Empty;

    private static IEnumerable<string> Strings(YamlMappingNode rule, string key) =>
        rule.Children.TryGetValue(key, out var values) ? ((YamlSequenceNode)values).Cast<YamlScalarNode>().Select(s => s.Value ?? string.Empty) : [];
}
