using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentResponder.Commands;
using k8s;
using YamlDotNet.RepresentationModel;

namespace IncidentResponder.Incidents;

/// <summary>How a command prints what it did or found: a table for people (default), JSON or YAML for scripts.</summary>
internal enum OutputFormat
{
    Table,
    Json,
    Yaml,
}

internal static class OutputFormats
{
    public static void Write(this OutputFormat format, TextWriter output, object value)
    {
        var node = JsonNode.Parse(KubernetesJson.Serialize(value));
        output.Write(format == OutputFormat.Yaml ? Yaml(node) : node?.ToJsonString(Indented) + "\n");
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static string Yaml(JsonNode? node)
    {
        var stream = new YamlStream(new YamlDocument(ToYaml(node)));
        using var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        // YamlDotNet ends a document with "...": kubectl prints none.
        var text = writer.ToString();
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    private static YamlNode ToYaml(JsonNode? node) => node switch
    {
        JsonObject obj => new YamlMappingNode(obj.Select(p => new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode(p.Key), ToYaml(p.Value)))),
        JsonArray array => new YamlSequenceNode(array.Select(ToYaml)),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => new YamlScalarNode(value.GetValue<string>()) { Style = Quoting(value.GetValue<string>()) },
        null => new YamlScalarNode("null"),
        _ => new YamlScalarNode(node.ToJsonString()),
    };

    // A string that YAML would read back as another type (a number, a boolean, null, a date) keeps its quotes.
    private static YamlDotNet.Core.ScalarStyle Quoting(string text) =>
        text.Length == 0 || double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out _)
        || text is "true" or "false" or "null" or "~" or "yes" or "no" || DateTime.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out _)
            ? YamlDotNet.Core.ScalarStyle.DoubleQuoted
            : YamlDotNet.Core.ScalarStyle.Any;
}

internal static class OutputFormatParsing
{
    public static OutputFormat Parse(string? flag) => flag switch
    {
        null or "" or "table" => OutputFormat.Table,
        "json" => OutputFormat.Json,
        "yaml" => OutputFormat.Yaml,
        _ => throw new UserError($"-o {flag} is not an output format of kubectl incident: use -o json or -o yaml, or leave -o out for a table"),
    };
}
