using IncidentResponder.Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace IncidentResponder.Deploy.Tests;

/// <summary>
/// The opt-in Secret reader (config/components/secret-reader and the chart's secretReader.namespaces): a namespaced
/// Role with get on secrets and nothing else, bound to the operator's ServiceAccount, only where asked for.
/// </summary>
public sealed class SecretReaderTests
{
    private const string Component = "config/components/secret-reader";
    private const string ReleaseNamespace = "ops";
    private static readonly Grant GetSecrets = new("", "secrets", "get");

    /// <summary>An overlay as the component's README shows it, written next to nothing else, rendered by kubectl.</summary>
    private static async Task<IReadOnlyList<YamlMappingNode>> OverlayAsync(string ns, string extra = "")
    {
        Kustomize.SkipWithoutKubectl();
        var overlay = Directory.CreateTempSubdirectory("secret-reader-overlay-");
        try
        {
            // kustomize refuses absolute paths to components: point at the folder relative to the overlay.
            var component = Path.GetRelativePath(overlay.FullName, RepositoryRoot.Combine(Component)).Replace('\\', '/');
            await File.WriteAllTextAsync(Path.Combine(overlay.FullName, "kustomization.yaml"), $"""
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                namespace: {ns}
                components:
                  - {component}
                {extra}
                """, TestContext.Current.CancellationToken);
            var output = await Tool.RunAsync(Tool.Find("kubectl")!, ["kustomize", overlay.FullName], "KUBECACHEDIR");
            return YamlDocs.LoadAll(output, $"kubectl kustomize (overlay of {Component} for {ns})");
        }
        finally
        {
            overlay.Delete(recursive: true);
        }
    }

    private static async Task<IReadOnlyList<YamlMappingNode>> HelmAsync(params string[] set)
    {
        Helm.SkipWithoutHelm();
        return await Helm.TemplateAsync(ReleaseNamespace, set);
    }

    private static IReadOnlyList<YamlMappingNode> SecretReaders(IReadOnlyList<YamlMappingNode> objects) =>
        [.. objects.Where(o => o.Name().EndsWith("secret-reader", StringComparison.Ordinal))];

    /// <summary>A Role and its RoleBinding in <paramref name="ns"/>: get on secrets only, bound to <paramref name="account"/>.</summary>
    private static YamlMappingNode AssertReaderIn(IReadOnlyList<YamlMappingNode> readers, string ns, (string? Name, string? Namespace) account)
    {
        var role = Assert.Single(readers, o => o.Kind() == "Role" && o.Namespace() == ns);
        var binding = Assert.Single(readers, o => o.Kind() == "RoleBinding" && o.Namespace() == ns);

        Assert.Equal([GetSecrets], RbacRule.GrantsOf(RbacRule.Of(role)));
        Assert.Equal(("Role", role.Name()), (binding.Str("roleRef.kind"), binding.Str("roleRef.name")));
        var subject = Assert.Single(binding.Seq("subjects"));
        Assert.Equal(("ServiceAccount", account.Name, account.Namespace), (subject.Str("kind"), subject.Str("name"), subject.Str("namespace")));
        return role;
    }

    [Fact]
    public async Task An_overlay_with_the_component_grants_get_on_secrets_in_its_namespace_to_the_operator()
    {
        var objects = await OverlayAsync("team-a");
        var serviceAccount = (await Installed.ObjectsAsync()).Single(o => o.Kind() == "ServiceAccount");

        Assert.Equal(["Role", "RoleBinding"], objects.Select(o => o.Kind()).Order(StringComparer.Ordinal));
        var role = AssertReaderIn(objects, "team-a", (serviceAccount.Name(), serviceAccount.Namespace()));
        Assert.Empty(Assert.Single(RbacRule.Of(role)).ResourceNames);
    }

    [Fact]
    public async Task The_readme_patch_narrows_the_component_to_named_secrets()
    {
        var objects = await OverlayAsync("team-b", """
            patches:
              - target: {kind: Role, name: incident-responder-secret-reader}
                patch: |-
                  - op: add
                    path: /rules/0/resourceNames
                    value: [flag-endpoint-token]
            """);

        var role = Assert.Single(objects, o => o.Kind() == "Role");
        Assert.Equal(["flag-endpoint-token"], Assert.Single(RbacRule.Of(role)).ResourceNames);
        Assert.Equal([GetSecrets], RbacRule.GrantsOf(RbacRule.Of(role)));
    }

    [Fact]
    public void The_component_and_the_chart_grant_the_same_rules_with_the_same_reasons()
    {
        var file = $"{Component}/role.yaml";
        var lines = RepositoryRoot.ReadText(file).Split('\n');
        var rules = lines.SkipWhile(l => l != "rules:").Skip(1).Select(l => l.StartsWith("  ", StringComparison.Ordinal) ? l[2..] : l);

        Assert.Equal(string.Join('\n', rules).Trim(), Chart.RuleBlockTexts()["secretReader"]);
    }

    [Fact]
    public async Task The_chart_value_renders_a_role_and_binding_per_listed_namespace()
    {
        var objects = await HelmAsync("secretReader.namespaces[0]=team-a", "secretReader.namespaces[1].name=team-b",
            "secretReader.namespaces[1].resourceNames[0]=flag-endpoint-token");
        var serviceAccount = objects.Single(o => o.Kind() == "ServiceAccount");
        var readers = SecretReaders(objects);

        Assert.Equal(4, readers.Count);
        var teamA = AssertReaderIn(readers, "team-a", (serviceAccount.Name(), ReleaseNamespace));
        var teamB = AssertReaderIn(readers, "team-b", (serviceAccount.Name(), ReleaseNamespace));
        Assert.Empty(Assert.Single(RbacRule.Of(teamA)).ResourceNames);
        Assert.Equal(["flag-endpoint-token"], Assert.Single(RbacRule.Of(teamB)).ResourceNames);
        // Still nothing cluster-wide can read a Secret.
        Assert.All(objects.Where(o => o.Kind() == "ClusterRole"), r => Assert.DoesNotContain(RbacRule.GrantsOf(RbacRule.Of(r)), g => g.Resource == "secrets"));
    }

    [Fact]
    public async Task The_chart_renders_no_secret_reader_by_default()
    {
        var objects = await HelmAsync();

        Assert.Empty(SecretReaders(objects));
        Assert.DoesNotContain(objects.Where(o => o.Kind() is "Role" or "ClusterRole"), r => RbacRule.GrantsOf(RbacRule.Of(r)).Any(g => g.Resource == "secrets"));
    }
}
