using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IncidentResponder.Simulator.Storage;

/// <summary>Turns a JSON object into the immutable <see cref="StoredObject"/> form (compact UTF-8 without kind/apiVersion).</summary>
internal static class ObjectSerializer
{
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public static StoredObject Freeze(ResourceDefinition definition, JsonObject obj)
    {
        var metadata = obj["metadata"]!.AsObject();
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in obj)
            {
                if (key is "kind" or "apiVersion")
                {
                    continue;
                }

                writer.WritePropertyName(key);
                if (value is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    value.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        var owners = (metadata["ownerReferences"] as JsonArray)?.Select(r => ObjectRules.Str(r?["uid"])).OfType<string>().ToList() ?? [];
        return new StoredObject
        {
            Type = definition.Type,
            Namespace = definition.Type.Namespaced ? ObjectRules.Str(metadata["namespace"]) : null,
            Name = ObjectRules.Str(metadata["name"])!,
            Uid = ObjectRules.Str(metadata["uid"]) ?? string.Empty,
            ResourceVersion = long.Parse(ObjectRules.Str(metadata["resourceVersion"])!, System.Globalization.CultureInfo.InvariantCulture),
            Body = buffer.WrittenSpan.ToArray(),
            Labels = FieldLabels.Labels(obj),
            Fields = FieldLabels.Extract(definition, obj),
            OwnerUids = owners,
            Terminating = metadata["deletionTimestamp"] is not null,
        };
    }

    /// <summary>Writes a node compactly with the same escaping as stored objects.</summary>
    public static byte[] ToBytes(JsonNode node)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            node.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
