using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace IncidentResponder.Simulator.GitOps;

/// <summary>
/// The documents of a YAML stream as the JSON they mean (plain <c>3</c>, <c>true</c> are numbers and booleans, as in
/// Kubernetes YAML), without the API types in between. Also what the demo reads its samples with.
/// </summary>
public static class YamlDocuments
{
    private static readonly IDeserializer Reader = new DeserializerBuilder()
        .WithAttemptingUnquotedStringTypeDeserialization()
        .Build();

    /// <summary>Every non-empty document of <paramref name="yaml"/> that is a mapping.</summary>
    public static IReadOnlyList<JsonObject> Parse(string yaml)
    {
        var documents = new List<JsonObject>();
        using var reader = new StringReader(yaml);
        var parser = new Parser(reader);
        parser.Consume<StreamStart>();
        while (parser.Accept<DocumentStart>(out _))
        {
            if (ToNode(Reader.Deserialize<object?>(parser)) is JsonObject document)
            {
                documents.Add(document);
            }
        }

        return documents;
    }

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        IDictionary<object, object?> map => new JsonObject(map.Select(kv =>
            KeyValuePair.Create(Convert.ToString(kv.Key, CultureInfo.InvariantCulture) ?? string.Empty, ToNode(kv.Value)))),
        IList<object?> list => new JsonArray([.. list.Select(ToNode)]),
        _ => JsonSerializer.SerializeToNode(value, value.GetType()),
    };
}
