using System.Text.RegularExpressions;
using IncidentResponder.Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace IncidentResponder.Deploy.Tests;

/// <summary>
/// The Helm chart cannot be rendered here (no helm binary), so these tests pin it to what is rendered and
/// tested: the same CRDs as config/crd/bases, the same RBAC rules as config/rbac, the same security settings as
/// config/manager, and no reference to a value values.yaml does not define.
/// </summary>
public sealed partial class ChartTests
{
    private static YamlMappingNode Values() => YamlDocs.LoadOne(RepositoryRoot.ReadText($"{Chart.Folder}/values.yaml"), "values.yaml");

    [Fact]
    public void The_chart_crds_are_exactly_the_generated_crds()
    {
        var bases = RepositoryRoot.Combine("config/crd/bases");
        var generated = Directory.Exists(bases) ? Directory.GetFiles(bases, "*.yaml") : [];
        if (generated.Length == 0)
        {
            Assert.Skip("config/crd/bases holds no CRDs yet: the CRD generator has not written them (make manifests).");
        }

        var chartCrds = RepositoryRoot.Combine($"{Chart.Folder}/crds");
        var inChart = Directory.Exists(chartCrds) ? Directory.GetFiles(chartCrds, "*.yaml") : [];
        Assert.Equal(generated.Select(Path.GetFileName).Order(), inChart.Select(Path.GetFileName).Order());
        Assert.All(generated, file => Assert.True(
            File.ReadAllText(file) == File.ReadAllText(Path.Combine(chartCrds, Path.GetFileName(file))),
            $"{Chart.Folder}/crds/{Path.GetFileName(file)} differs from config/crd/bases: run make manifests"));
    }

    [Fact]
    public void Every_value_the_templates_reference_exists_in_values_yaml()
    {
        var values = Values();
        var referenced = Chart.ReferencedValuePaths();

        Assert.NotEmpty(referenced);
        var missing = referenced.Where(path => values.At(path) is null).Order().ToList();
        Assert.True(missing.Count == 0, $"values.yaml lacks: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Values_offer_what_a_cluster_admin_needs_to_set()
    {
        var values = Values();

        string[] settings =
        [
            "image.repository", "image.tag", "image.pullPolicy", "resources", "watchNamespaces", "leaderElection.enabled",
            "logLevel", "metrics.port", "metrics.service.enabled", "podSecurityContext", "securityContext", "replicaCount",
            "nodeSelector", "tolerations", "affinity",
        ];
        Assert.All(settings, s => Assert.True(values.At(s) is not null, $"values.yaml has no {s}"));
        Assert.All(settings, s => Assert.Contains($".Values.{s}", Chart.ReferencedValuePaths().Select(p => $".Values.{p}")));
    }

    [Fact]
    public void Chart_yaml_is_a_valid_v2_application_chart()
    {
        var chart = YamlDocs.LoadOne(RepositoryRoot.ReadText($"{Chart.Folder}/Chart.yaml"), "Chart.yaml");

        Assert.Equal("v2", chart.Str("apiVersion"));
        Assert.Equal("incident-responder", chart.Str("name"));
        Assert.Equal("application", chart.Str("type"));
        Assert.Matches(SemVer(), chart.Str("version") ?? string.Empty);
        Assert.False(string.IsNullOrWhiteSpace(chart.Str("appVersion")));
        Assert.False(string.IsNullOrWhiteSpace(chart.Str("description")));
    }

    [Fact]
    public void The_default_image_tag_is_the_version_the_manifests_deploy()
    {
        var chart = YamlDocs.LoadOne(RepositoryRoot.ReadText($"{Chart.Folder}/Chart.yaml"), "Chart.yaml");
        var manager = YamlDocs.LoadFile("config/manager/manager.yaml").Single(o => o.Kind() == "Deployment");

        var image = Assert.Single(manager.Seq("spec.template.spec.containers")).Str("image")!;
        Assert.Equal($"{Values().Str("image.repository")}:{chart.Str("appVersion")}", image);
    }

    [Theory]
    [InlineData("manager", "config/rbac/role.yaml")]
    [InlineData("leaderElection", "config/rbac/leader_election_role.yaml")]
    [InlineData("view", "config/rbac/aggregate_view_role.yaml")]
    [InlineData("edit", "config/rbac/aggregate_edit_role.yaml")]
    [InlineData("onCall", "config/rbac/on_call_role.yaml")]
    public void Chart_rbac_rules_equal_config_rbac_rules(string block, string configFile)
    {
        var chartRules = Chart.RuleBlocks();
        var configRules = RbacRule.Of(YamlDocs.LoadOne(RepositoryRoot.ReadText(configFile), configFile));

        Assert.True(chartRules.ContainsKey(block), $"templates/_rbac-rules.tpl has no block incident-responder.rules.{block}");
        Assert.Equal(Describe(configRules), Describe(chartRules[block]));
    }

    [Theory]
    [InlineData("manager", "config/rbac/role.yaml")]
    [InlineData("leaderElection", "config/rbac/leader_election_role.yaml")]
    [InlineData("view", "config/rbac/aggregate_view_role.yaml")]
    [InlineData("edit", "config/rbac/aggregate_edit_role.yaml")]
    [InlineData("onCall", "config/rbac/on_call_role.yaml")]
    public void Chart_rbac_rules_carry_the_same_comments_as_config_rbac(string block, string configFile)
    {
        // The rules section of the config file, one indentation level out, is the chart block word for word,
        // so the reason each rule exists reads the same in both places.
        var lines = RepositoryRoot.ReadText(configFile).Split('\n');
        var rules = lines.SkipWhile(l => l != "rules:").Skip(1).Select(l => l.StartsWith("  ", StringComparison.Ordinal) ? l[2..] : l);

        Assert.Equal(string.Join('\n', rules).Trim(), Chart.RuleBlockTexts()[block]);
    }

    [Fact]
    public void Every_rule_block_is_used_by_a_template_and_every_include_is_defined()
    {
        var templates = Chart.Templates();
        var all = string.Concat(templates.Values);
        var defined = DefinePattern().Matches(all).Select(m => m.Groups["name"].Value).ToHashSet();
        var included = IncludePattern().Matches(all).Select(m => m.Groups["name"].Value).ToHashSet();

        Assert.All(included, name => Assert.Contains(name, defined));
        Assert.All(Chart.RuleBlocks().Keys, block => Assert.Contains($"incident-responder.rules.{block}", included));
    }

    [Fact]
    public void Template_actions_are_balanced()
    {
        foreach (var (file, text) in Chart.Templates())
        {
            var depth = 0;
            foreach (Match action in ActionPattern().Matches(text))
            {
                var keyword = action.Groups["keyword"].Value;
                depth += keyword switch
                {
                    "if" or "range" or "with" or "define" or "block" => 1,
                    "end" => -1,
                    _ => 0,
                };
                Assert.True(depth >= 0, $"{file}: an {{{{ end }}}} closes nothing near offset {action.Index}");
            }

            Assert.True(depth == 0, $"{file}: {depth} block(s) opened with if/range/with/define are never closed");
            Assert.Equal(text.Split("{{").Length, text.Split("}}").Length);
        }
    }

    [Fact]
    public void Chart_security_and_resources_match_config_manager()
    {
        var values = Values();
        var manager = YamlDocs.LoadFile("config/manager/manager.yaml").Single(o => o.Kind() == "Deployment");
        var pod = manager.At("spec.template.spec")!;
        var container = Assert.Single(pod.Seq("containers"));

        Assert.Equal(Flatten(pod.At("securityContext")), Flatten(values.At("podSecurityContext")));
        Assert.Equal(Flatten(container.At("securityContext")), Flatten(values.At("securityContext")));
        Assert.Equal(Flatten(container.At("resources")), Flatten(values.At("resources")));
    }

    [Fact]
    public void The_chart_deployment_runs_the_operator_with_the_same_probes_ports_and_tmp_volume()
    {
        var deployment = Chart.Templates()["deployment.yaml"];

        string[] required =
        [
            "- run", "--leader-elect", "--metrics-bind-address=:{{ .Values.metrics.port }}",
            "--health-probe-bind-address=:{{ .Values.healthProbe.port }}", "--namespace={{ . }}",
            "path: /healthz", "path: /readyz", "mountPath: /tmp", "emptyDir:", "automountServiceAccountToken: true",
            "name: metrics", "name: health",
        ];
        Assert.All(required, r => Assert.Contains(r, deployment, StringComparison.Ordinal));
    }

    private static List<string> Describe(IEnumerable<RbacRule> rules) =>
        rules.Select(r => $"groups=[{string.Join(",", r.ApiGroups)}] resources=[{string.Join(",", r.Resources)}] verbs=[{string.Join(",", r.Verbs)}] names=[{string.Join(",", r.ResourceNames)}]").ToList();

    /// <summary>A mapping as sorted "a.b=value" lines, so two mappings compare regardless of key order.</summary>
    private static List<string> Flatten(YamlNode? node, string prefix = "")
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                return mapping.Children.SelectMany(kv => Flatten(kv.Value, $"{prefix}{kv.Key}.")).Order(StringComparer.Ordinal).ToList();
            case YamlSequenceNode sequence:
                return sequence.Children.Select((item, i) => Flatten(item, $"{prefix}{i}.")).SelectMany(x => x).ToList();
            case YamlScalarNode scalar:
                return [$"{prefix.TrimEnd('.')}={scalar.Value}"];
            default:
                return [];
        }
    }

    [GeneratedRegex(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")]
    private static partial Regex SemVer();

    [GeneratedRegex(@"\{\{-?\s*define\s+""(?<name>[^""]+)""")]
    private static partial Regex DefinePattern();

    [GeneratedRegex(@"\binclude\s+""(?<name>[^""]+)""")]
    private static partial Regex IncludePattern();

    [GeneratedRegex(@"\{\{-?\s*(?:/\*.*?\*/\s*-?\}\}|(?<keyword>[a-z]+)\b)", RegexOptions.Singleline)]
    private static partial Regex ActionPattern();
}
