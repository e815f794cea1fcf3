using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IncidentResponder.Simulator.Storage;

/// <summary>
/// One stored object, immutable. The JSON is kept once, as UTF-8 bytes without <c>kind</c>/<c>apiVersion</c>, so a
/// list of built-ins can copy the bytes as is, and a full object is those bytes with the two fields spliced in front.
/// Labels and field-selector values are extracted at write time so selectors never parse JSON.
/// </summary>
public sealed class StoredObject
{
    public required ResourceType Type { get; init; }

    public required string? Namespace { get; init; }

    public required string Name { get; init; }

    public required string Uid { get; init; }

    public required long ResourceVersion { get; init; }

    /// <summary>The object's JSON without kind/apiVersion, starting with <c>{</c>.</summary>
    public required byte[] Body { get; init; }

    public required IReadOnlyDictionary<string, string> Labels { get; init; }

    public required IReadOnlyDictionary<string, string> Fields { get; init; }

    public required IReadOnlyList<string> OwnerUids { get; init; }

    public required bool Terminating { get; init; }

    public ObjectKey Key => new(Type, Namespace, Name);

    /// <summary>A fresh, mutable copy of the object with kind and apiVersion.</summary>
    public JsonObject ToJsonObject()
    {
        var parsed = JsonNode.Parse(Body)!.AsObject();
        var result = new JsonObject { ["kind"] = Type.Kind, ["apiVersion"] = Type.ApiVersion };
        foreach (var (key, value) in parsed.ToList())
        {
            parsed.Remove(key);
            result[key] = value;
        }

        return result;
    }

    /// <summary>The full object's JSON: <c>{"kind":..,"apiVersion":..,</c> followed by the stored body.</summary>
    public void WriteFull(Stream destination) => WriteFull(destination, Type.Kind, Type.ApiVersion);

    public byte[] ToFullBytes()
    {
        using var buffer = new MemoryStream(Body.Length + 64);
        WriteFull(buffer);
        return buffer.ToArray();
    }

    private void WriteFull(Stream destination, string kind, string apiVersion)
    {
        var head = Encoding.UTF8.GetBytes($"{{\"kind\":{JsonSerializer.Serialize(kind)},\"apiVersion\":{JsonSerializer.Serialize(apiVersion)},");
        destination.Write(head);
        destination.Write(Body.AsSpan(1));
    }
}

/// <summary>Identity of a stored object: type, namespace (null for cluster-scoped) and name.</summary>
public readonly record struct ObjectKey(ResourceType Type, string? Namespace, string Name);
