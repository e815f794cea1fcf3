using System.Text.Json.Nodes;

namespace IncidentResponder.Runtime.Status;

/// <summary>
/// Computes an RFC 7386 JSON merge patch that turns <c>original</c> into <c>modified</c>. Objects are diffed key by key
/// (a removed key becomes null); arrays and scalars are replaced whole when they differ, as merge patch requires.
/// Comparing serialized JSON rather than models matters: the generated models compare lists by reference.
/// </summary>
public static class JsonMergePatch
{
    /// <summary>The patch, or null when the two documents are equal.</summary>
    public static JsonNode? Create(JsonNode? original, JsonNode? modified)
    {
        if (original is JsonObject originalObject && modified is JsonObject modifiedObject)
        {
            var patch = new JsonObject();
            foreach (var (key, originalValue) in originalObject)
            {
                if (!modifiedObject.ContainsKey(key))
                {
                    patch[key] = null;
                }
            }

            foreach (var (key, modifiedValue) in modifiedObject)
            {
                if (!originalObject.TryGetPropertyValue(key, out var originalValue))
                {
                    patch[key] = modifiedValue?.DeepClone();
                    continue;
                }

                if (modifiedValue is null)
                {
                    if (originalValue is not null)
                    {
                        patch[key] = null;
                    }

                    continue;
                }

                if (originalValue is JsonObject && modifiedValue is JsonObject)
                {
                    if (Create(originalValue, modifiedValue) is { } nested)
                    {
                        patch[key] = nested;
                    }
                }
                else if (!JsonNode.DeepEquals(originalValue, modifiedValue))
                {
                    patch[key] = modifiedValue.DeepClone();
                }
            }

            return patch.Count == 0 ? null : patch;
        }

        return JsonNode.DeepEquals(original, modified) ? null : modified?.DeepClone();
    }
}
