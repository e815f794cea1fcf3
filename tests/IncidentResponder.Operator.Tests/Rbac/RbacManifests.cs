using YamlDotNet.RepresentationModel;

namespace IncidentResponder.Operator.Tests.Rbac;

/// <summary>
/// Every grant the operator's ServiceAccount holds in what a cluster admin installs (<c>config/default</c>, with the opt-in
/// components of config/components turned on):
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
    /// <param name="workloadNamespace">
    /// Where the run's policies live: the opt-in secret-reader component is installed for this namespace, as an admin
    /// whose policies reference Secrets (HTTP flag auth, notification targets) would.
    /// </param>
    public static async Task<IReadOnlyList<Permission>> OperatorGrantsAsync(Kubectl kubectl, string operatorNamespace, string workloadNamespace)
    {
        // What an admin installs with every opt-in feature on: config/default plus the Alertmanager intake component,
        // and the secret-reader component for the policies' namespace (a separate overlay, as its README says).
        var overlays = Directory.CreateTempSubdirectory("rbac-overlays-");
        try
        {
            var installed = Overlay(overlays, "operator", "resources:\n  - {0}\ncomponents:\n  - {1}\n",
                RepositoryRoot.Combine("config/default"), RepositoryRoot.Combine("config/components/alertmanager-intake"));
            var secretReader = Overlay(overlays, "secret-reader", $"namespace: {workloadNamespace}\ncomponents:\n  - {{0}}\n",
                RepositoryRoot.Combine("config/components/secret-reader"));
            var objects = Documents((await kubectl.RunAsync("kustomize", installed)).ShouldSucceed().Stdout)
                .Concat(Documents((await kubectl.RunAsync("kustomize", secretReader)).ShouldSucceed().Stdout))
                .ToList();
            return Grants(objects, operatorNamespace);
        }
        finally
        {
            overlays.Delete(recursive: true);
        }
    }

    /// <summary>The grants of the one ClusterRole in a file of config/rbac, applying in every namespace.</summary>
    public static IReadOnlyList<Permission> ClusterRoleGrants(string relativePath) =>
        [.. Rules(Documents(RepositoryRoot.ReadText(relativePath)).Single(o => Kind(o) == "ClusterRole"), scope: null)];

    /// <summary>A kustomization in its own folder whose paths (format arguments) are relative to it, as kustomize wants.</summary>
    private static string Overlay(DirectoryInfo root, string name, string format, params string[] paths)
    {
        var folder = root.CreateSubdirectory(name).FullName;
        var relative = paths.Select(path => (object)Path.GetRelativePath(folder, path)).ToArray();
        File.WriteAllText(Path.Combine(folder, "kustomization.yaml"),
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n" + string.Format(System.Globalization.CultureInfo.InvariantCulture, format, relative));
        return folder;
    }

    private static List<Permission> Grants(IReadOnlyList<YamlMappingNode> objects, string operatorNamespace)
    {
        var (accountNamespace, accountName) = OperatorServiceAccount(objects);

        var grants = new List<Permission>();
        foreach (var binding in objects.Where(o => Kind(o) is "RoleBinding" or "ClusterRoleBinding" && BindsAccount(o, accountNamespace, accountName)))
        {
            var bindingNamespace = Kind(binding) == "RoleBinding" ? Namespace(binding) : null;
            var roleRef = (YamlMappingNode)binding["roleRef"];
            var roleKind = Scalar(roleRef, "kind");
            var roleName = Scalar(roleRef, "name");
            var role = objects.SingleOrDefault(o => Kind(o) == roleKind && Name(o) == roleName && (roleKind == "ClusterRole" || Namespace(o) == bindingNamespace));
            Assert.True(role is not null, $"{Kind(binding)} {Name(binding)} binds the operator to {roleKind} {roleName}, which the installed overlays do not define: its rules cannot be checked");

            // A ClusterRoleBinding grants in every namespace (null); a RoleBinding only in its own.
            var scope = bindingNamespace == accountNamespace ? operatorNamespace : bindingNamespace;
            grants.AddRange(Rules(role, scope));
        }

        Assert.True(grants.Count > 0, $"nothing installed binds {accountNamespace}/{accountName} to a role");
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
            // resourceNames narrow a rule to those objects: one permission per name.
            var names = Strings(rule, "resourceNames").Select(name => (string?)name).DefaultIfEmpty(null).ToList();

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
                        foreach (var name in names)
                        {
                            yield return new Permission(group, resource, verb, scope) { Name = name };
                        }
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
