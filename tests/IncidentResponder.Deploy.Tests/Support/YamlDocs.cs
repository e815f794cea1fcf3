using YamlDotNet.RepresentationModel;

namespace IncidentResponder.Deploy.Tests.Support;

/// <summary>Reading YAML the way the manifests are written: a stream of documents, each a mapping.</summary>
public static class YamlDocs
{
    /// <summary>Every non-empty document of a multi-document YAML text, each of which must be a mapping.</summary>
    public static IReadOnlyList<YamlMappingNode> LoadAll(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new InvalidDataException($"{source}: not valid YAML: {e.Message}", e);
        }

        var documents = new List<YamlMappingNode>();
        foreach (var document in stream.Documents)
        {
            switch (document.RootNode)
            {
                case YamlMappingNode mapping:
                    documents.Add(mapping);
                    break;
                case YamlScalarNode { Value: null or "" }:
                    break; // an empty document, e.g. after a trailing "---"
                default:
                    throw new InvalidDataException($"{source}: a document is a {document.RootNode.NodeType}, not a mapping.");
            }
        }

        return documents;
    }

    public static YamlMappingNode LoadOne(string yaml, string source)
    {
        var documents = LoadAll(yaml, source);
        return documents.Count == 1
            ? documents[0]
            : throw new InvalidDataException($"{source}: expected one YAML document, found {documents.Count}.");
    }

    public static IReadOnlyList<YamlMappingNode> LoadFile(string relativePath) =>
        LoadAll(RepositoryRoot.ReadText(relativePath), relativePath);

    /// <summary>The node at a dotted path ("spec.template.spec"), or null when any step is missing.</summary>
    public static YamlNode? At(this YamlNode node, string dottedPath)
    {
        YamlNode? current = node;
        foreach (var key in dottedPath.Split('.'))
        {
            if (current is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out current))
            {
                return null;
            }
        }

        return current;
    }

    /// <summary>The scalar at a dotted path, or null.</summary>
    public static string? Str(this YamlNode node, string dottedPath) => (node.At(dottedPath) as YamlScalarNode)?.Value;

    public static YamlMappingNode? Map(this YamlNode node, string dottedPath) => node.At(dottedPath) as YamlMappingNode;

    /// <summary>The items of the sequence at a dotted path; empty when absent.</summary>
    public static IReadOnlyList<YamlNode> Seq(this YamlNode node, string dottedPath) =>
        node.At(dottedPath) is YamlSequenceNode sequence ? sequence.Children.ToList() : [];

    /// <summary>The scalar items of the sequence at a dotted path; empty when absent.</summary>
    public static IReadOnlyList<string> Strings(this YamlNode node, string dottedPath) =>
        node.Seq(dottedPath).OfType<YamlScalarNode>().Select(s => s.Value ?? string.Empty).ToList();

    /// <summary>A key of a mapping, taken whole: label and annotation keys contain dots.</summary>
    public static string? Entry(this YamlNode? mapping, string key) =>
        mapping is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar
            ? scalar.Value
            : null;

    public static string? Label(this YamlNode node, string key) => node.At("metadata.labels").Entry(key);

    public static string Kind(this YamlNode node) => node.Str("kind") ?? string.Empty;

    public static string Name(this YamlNode node) => node.Str("metadata.name") ?? string.Empty;

    public static string? Namespace(this YamlNode node) => node.Str("metadata.namespace");

    /// <summary>"Kind/name" for assertion messages.</summary>
    public static string Describe(this YamlNode node) => $"{node.Kind()}/{node.Name()}";
}
