using System.Collections.Concurrent;
using YamlDotNet.RepresentationModel;

namespace IncidentResponder.Deploy.Tests.Support;

/// <summary>Renders kustomizations with the real kubectl, once per folder per test run.</summary>
public static class Kustomize
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<YamlMappingNode>>>> Rendered = new();

    /// <summary>The objects <c>kubectl kustomize &lt;folder&gt;</c> emits, parsed.</summary>
    public static Task<IReadOnlyList<YamlMappingNode>> RenderAsync(string relativeFolder) =>
        Rendered.GetOrAdd(relativeFolder, folder => new Lazy<Task<IReadOnlyList<YamlMappingNode>>>(() => RunAsync(folder))).Value;

    /// <summary>Skips the calling test, saying why, when kubectl is not installed.</summary>
    public static void SkipWithoutKubectl()
    {
        if (Tool.Find("kubectl") is null)
        {
            Assert.Skip("kubectl is not on PATH, so the kustomizations cannot be rendered.");
        }
    }

    private static async Task<IReadOnlyList<YamlMappingNode>> RunAsync(string relativeFolder)
    {
        // KUBECACHEDIR: kubectl's discovery cache goes to a scratch folder, not ~/.kube.
        var output = await Tool.RunAsync(Tool.Find("kubectl")!, ["kustomize", RepositoryRoot.Combine(relativeFolder)], "KUBECACHEDIR");
        return YamlDocs.LoadAll(output, $"kubectl kustomize {relativeFolder}");
    }
}
