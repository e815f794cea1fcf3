using System.Text.RegularExpressions;
using IncidentResponder.Deploy.Tests.Support;

namespace IncidentResponder.Deploy.Tests;

/// <summary>The Makefile is the developer's entry point: every target explains itself and does real work.</summary>
public sealed partial class MakefileTests
{
    private sealed record Target(string Name, string Help, IReadOnlyList<string> Recipe);

    private static List<Target> Targets()
    {
        var lines = RepositoryRoot.ReadText("Makefile").Split('\n');
        var targets = new List<Target>();
        for (var i = 0; i < lines.Length; i++)
        {
            var match = TargetLine().Match(lines[i]);
            if (!match.Success)
            {
                continue;
            }

            var recipe = lines.Skip(i + 1).TakeWhile(l => l.StartsWith('\t')).Select(l => l.Trim()).ToList();
            targets.Add(new Target(match.Groups["name"].Value, match.Groups["help"].Value.Trim(), recipe));
        }

        return targets;
    }

    [Fact]
    public void Help_is_the_default_goal()
    {
        Assert.Contains(".DEFAULT_GOAL := help", RepositoryRoot.ReadText("Makefile"), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_phony_target_is_defined_with_a_help_text_and_a_recipe()
    {
        var phony = PhonyLine().Matches(RepositoryRoot.ReadText("Makefile")).SelectMany(m => m.Groups["names"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        var targets = Targets().ToDictionary(t => t.Name);

        Assert.NotEmpty(phony);
        Assert.All(phony, name =>
        {
            Assert.True(targets.TryGetValue(name, out var target), $"{name} is .PHONY but has no '{name}: ## help' line");
            Assert.False(string.IsNullOrWhiteSpace(target.Help), $"{name} has no help text");
            Assert.NotEmpty(target.Recipe);
        });
    }

    [Theory]
    [InlineData("build")]
    [InlineData("test")]
    [InlineData("manifests")]
    [InlineData("sim")]
    [InlineData("run")]
    [InlineData("e2e")]
    [InlineData("bench")]
    [InlineData("demo")]
    [InlineData("docker-build")]
    [InlineData("install")]
    [InlineData("uninstall")]
    [InlineData("deploy")]
    [InlineData("undeploy")]
    public void The_documented_target_exists(string name)
    {
        Assert.Contains(Targets(), t => t.Name == name);
    }

    [Fact]
    public void Manifests_regenerates_both_crd_folders_the_chart_test_compares()
    {
        var recipe = string.Join('\n', Targets().Single(t => t.Name == "manifests").Recipe);

        Assert.Contains("--output-dir config/crd/bases", recipe, StringComparison.Ordinal);
        Assert.Contains("--output-dir charts/incident-responder/crds", recipe, StringComparison.Ordinal);
    }

    [Fact]
    public void Deploy_swaps_in_the_image_the_manager_manifest_actually_names()
    {
        var makefile = RepositoryRoot.ReadText("Makefile");
        var manifestImage = ManifestImage().Match(makefile).Groups["image"].Value;
        var manager = YamlDocs.LoadFile("config/manager/manager.yaml").Single(o => o.Kind() == "Deployment");

        Assert.Equal(Assert.Single(manager.Seq("spec.template.spec.containers")).Str("image"), manifestImage);
    }

    [GeneratedRegex(@"^(?<name>[a-z][a-z0-9-]*):[^=\n]*?##(?<help>.*)$")]
    private static partial Regex TargetLine();

    [GeneratedRegex(@"^\.PHONY:(?<names>.*)$", RegexOptions.Multiline)]
    private static partial Regex PhonyLine();

    [GeneratedRegex(@"^MANIFEST_IMG\s*:=\s*(?<image>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ManifestImage();
}
