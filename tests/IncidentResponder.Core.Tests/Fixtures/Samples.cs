using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IncidentResponder.Api.V1Alpha1;
using k8s;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IncidentResponder.Core.Tests.Fixtures;

/// <summary>
/// The shipped samples in config/samples, read the way the operator meets them: kubectl turns the YAML into JSON
/// (plain scalars typed by the YAML 1.2 core schema) and the operator reads that JSON with KubernetesJson.
/// KubernetesYaml cannot be used directly: its YamlDotNet deserializer parses enums by member name and so rejects
/// the API's "SEV-3" (declared with JsonStringEnumMemberName), which the JSON path honours.
/// </summary>
public static partial class Samples
{
    public static Runbook DecisionTreeRunbook() => Read<Runbook>("runbook_decision_tree.yaml");

    /// <summary>The sample policy as applied to namespace "shop" (samples are namespace-less on purpose).</summary>
    public static RemediationPolicy AutomaticPolicy()
    {
        var policy = Read<RemediationPolicy>("remediationpolicy_automatic.yaml");
        policy.Metadata.NamespaceProperty = Cluster.Namespace;
        return policy;
    }

    private static T Read<T>(string file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(SamplesDirectory(), file))));
        var json = Convert(stream.Documents.Single().RootNode)!.ToJsonString();
        return KubernetesJson.Deserialize<T>(json);
    }

    private static string SamplesDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var samples = Path.Combine(directory.FullName, "config", "samples");
            if (Directory.Exists(samples))
            {
                return samples;
            }
        }

        throw new DirectoryNotFoundException($"config/samples not found above {AppContext.BaseDirectory}");
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(pair => KeyValuePair.Create(((YamlScalarNode)pair.Key).Value ?? "", Convert(pair.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new NotSupportedException($"YAML node {node.NodeType}"),
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" => null,
            "true" or "false" => JsonValue.Create(text == "true"),
            _ when IntegerPattern().IsMatch(text) => JsonValue.Create(long.Parse(text, CultureInfo.InvariantCulture)),
            _ when FloatPattern().IsMatch(text) => JsonValue.Create(double.Parse(text, CultureInfo.InvariantCulture)),
            _ => JsonValue.Create(text),
        };
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
