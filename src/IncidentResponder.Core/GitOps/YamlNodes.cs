using YamlDotNet.RepresentationModel;

namespace IncidentResponder.Core.GitOps;

/// <summary>Small reads of parsed YAML the write-back planner shares: a child by key, a scalar's text.</summary>
internal static class YamlNodes
{
    public static YamlNode? Child(this YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    public static YamlScalarNode? ScalarChild(this YamlNode? node, string key) => node.Child(key) as YamlScalarNode;

    public static string? Text(this YamlNode? node, string key) => node.ScalarChild(key)?.Value;

    public static IEnumerable<YamlMappingNode> Items(this YamlNode? node) =>
        node is YamlSequenceNode list ? list.Children.OfType<YamlMappingNode>() : [];

    /// <summary>The YAML files among the paths (manifests, kustomizations), in a stable order so plans are deterministic.</summary>
    public static IEnumerable<string> YamlFiles(IEnumerable<string> paths) =>
        paths.Where(p => p.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
                || IsKustomization(p))
            .Order(StringComparer.Ordinal);

    /// <summary>Whether the file is one kustomize reads as a kustomization (its three accepted names).</summary>
    public static bool IsKustomization(string path) =>
        Path.GetFileName(path) is "kustomization.yaml" or "kustomization.yml" or "Kustomization";
}
