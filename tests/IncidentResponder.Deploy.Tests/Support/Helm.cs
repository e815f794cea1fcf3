using YamlDotNet.RepresentationModel;

namespace IncidentResponder.Deploy.Tests.Support;

/// <summary>
/// The real helm binary, when one is installed (on PATH, or named by the HELM environment variable). Tests that
/// need it skip, saying so, when there is none; the chart's text-level tests run either way.
/// </summary>
public static class Helm
{
    private static readonly string[] ScratchHomes = ["HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME"];

    public static string Executable() =>
        Tool.Find("helm", "HELM") ?? throw new InvalidOperationException("helm is not installed.");

    public static void SkipWithoutHelm()
    {
        if (Tool.Find("helm", "HELM") is null)
        {
            Assert.Skip("helm is not installed (on PATH or in $HELM), so the chart cannot be rendered here.");
        }
    }

    public static Task<string> LintAsync() =>
        Tool.RunAsync(Executable(), ["lint", "--strict", RepositoryRoot.Combine(Chart.Folder)], ScratchHomes);

    /// <summary><c>helm template</c> with the given <c>--set</c> values, CRDs included, parsed.</summary>
    public static async Task<IReadOnlyList<YamlMappingNode>> TemplateAsync(string releaseNamespace, params string[] set)
    {
        List<string> arguments = ["template", "ir", RepositoryRoot.Combine(Chart.Folder), "--namespace", releaseNamespace, "--include-crds"];
        foreach (var value in set)
        {
            arguments.AddRange(["--set", value]);
        }

        return YamlDocs.LoadAll(await Tool.RunAsync(Executable(), arguments, ScratchHomes), $"helm template {string.Join(' ', set)}");
    }
}
