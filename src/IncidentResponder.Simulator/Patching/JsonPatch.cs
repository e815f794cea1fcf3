using System.Globalization;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator.Patching;

/// <summary>
/// RFC 6902 JSON Patch (add, remove, replace, move, copy, test). A malformed patch is 400; an operation that does
/// not apply (missing path, failed test) is 422, as in kube-apiserver's <c>applyJSPatch</c>.
/// </summary>
public static class JsonPatch
{
    public const int MaxOperations = 10_000;

    public static JsonNode Apply(JsonNode target, JsonNode patch)
    {
        if (patch is not JsonArray operations)
        {
            throw ApiErrors.BadRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        }

        if (operations.Count > MaxOperations)
        {
            throw new StoreException(413, "RequestEntityTooLarge", $"The allowed maximum operations in a JSON patch is {MaxOperations}, got {operations.Count}");
        }

        var document = target.DeepClone();
        foreach (var node in operations)
        {
            if (node is not JsonObject operation || operation["op"]?.GetValue<string>() is not { } op || operation["path"]?.GetValue<string>() is not { } path)
            {
                throw ApiErrors.BadRequest("invalid JSON patch operation: missing op or path");
            }

            document = op switch
            {
                "add" => Add(document, path, Value(operation, op)),
                "remove" => Remove(document, path, out _),
                "replace" => Replace(document, path, Value(operation, op)),
                "move" => Move(document, From(operation, op), path),
                "copy" => Add(document, path, Get(document, From(operation, op), op).DeepClone()),
                "test" => Test(document, path, operation["value"]),
                _ => throw ApiErrors.BadRequest($"Unexpected kind: {op}"),
            };
        }

        return document;
    }

    private static JsonNode? Value(JsonObject operation, string op) =>
        operation.TryGetPropertyValue("value", out var value) ? value?.DeepClone() : throw ApiErrors.BadRequest($"{op} operation is missing value");

    private static string From(JsonObject operation, string op) =>
        operation["from"]?.GetValue<string>() ?? throw ApiErrors.BadRequest($"{op} operation is missing from");

    private static JsonNode Test(JsonNode document, string path, JsonNode? expected)
    {
        var actual = path.Length == 0 ? document : TryGet(document, path, out var found) ? found : throw Unprocessable($"testing value {path} failed: test failed");
        if (!JsonNode.DeepEquals(actual, expected))
        {
            throw Unprocessable($"testing value {path} failed: test failed");
        }

        return document;
    }

    private static JsonNode Move(JsonNode document, string from, string path)
    {
        document = Remove(document, from, out var value);
        return Add(document, path, value);
    }

    private static JsonNode Add(JsonNode document, string path, JsonNode? value)
    {
        if (path.Length == 0)
        {
            return value ?? throw Unprocessable("add operation does not apply: cannot replace the document with null");
        }

        var (parent, last) = Parent(document, path, "add");
        switch (parent)
        {
            case JsonObject obj:
                obj[last] = value;
                break;
            case JsonArray array:
                var index = last == "-" ? array.Count : Index(last, array.Count + 1, path, "add");
                array.Insert(index, value);
                break;
            default:
                throw Unprocessable($"add operation does not apply: doc is missing path: \"{path}\": missing value");
        }

        return document;
    }

    private static JsonNode Remove(JsonNode document, string path, out JsonNode? removed)
    {
        var (parent, last) = Parent(document, path, "remove");
        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(last):
                removed = obj[last];
                obj.Remove(last);
                break;
            case JsonArray array:
                var index = Index(last, array.Count, path, "remove");
                removed = array[index];
                array.RemoveAt(index);
                break;
            default:
                throw Unprocessable($"remove operation does not apply: doc is missing path: \"{path}\": missing value");
        }

        removed = removed?.DeepClone();
        return document;
    }

    private static JsonNode Replace(JsonNode document, string path, JsonNode? value)
    {
        if (path.Length == 0)
        {
            return value ?? throw Unprocessable("replace operation does not apply: cannot replace the document with null");
        }

        var (parent, last) = Parent(document, path, "replace");
        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(last):
                obj[last] = value;
                break;
            case JsonArray array:
                array[Index(last, array.Count, path, "replace")] = value;
                break;
            default:
                throw Unprocessable($"replace operation does not apply: doc is missing key: {path}: missing value");
        }

        return document;
    }

    private static JsonNode Get(JsonNode document, string path, string op) =>
        TryGet(document, path, out var found) && found is not null ? found : throw Unprocessable($"{op} operation does not apply: doc is missing from path: {path}: missing value");

    private static bool TryGet(JsonNode document, string path, out JsonNode? found)
    {
        found = document;
        foreach (var token in Tokens(path))
        {
            switch (found)
            {
                case JsonObject obj when obj.TryGetPropertyValue(token, out var child):
                    found = child;
                    break;
                case JsonArray array when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < array.Count:
                    found = array[i];
                    break;
                default:
                    found = null;
                    return false;
            }
        }

        return true;
    }

    private static (JsonNode? Parent, string Last) Parent(JsonNode document, string path, string op)
    {
        var tokens = Tokens(path);
        var parentPath = tokens.Count == 1 ? string.Empty : "/" + string.Join('/', tokens.Take(tokens.Count - 1).Select(Escape));
        if (!TryGet(document, parentPath, out var parent))
        {
            throw Unprocessable($"{op} operation does not apply: doc is missing path: \"{path}\": missing value");
        }

        return (parent, tokens[^1]);
    }

    private static int Index(string token, int bound, string path, string op) =>
        int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < bound
            ? index
            : throw Unprocessable($"{op} operation does not apply: doc is missing path: \"{path}\": invalid index referenced: {token}");

    private static List<string> Tokens(string path)
    {
        if (path.Length == 0)
        {
            return [];
        }

        if (path[0] != '/')
        {
            throw ApiErrors.BadRequest($"JSON pointer must be empty or start with a \"/\": {path}");
        }

        return path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
    }

    private static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static StoreException Unprocessable(string message) => new(422, "Invalid", message);
}
