using System.Text.Json.Nodes;

namespace IncidentResponder.Simulator.Tables;

/// <summary>
/// The JSONPath subset CRD printer columns use: <c>.a.b</c>, <c>.a[0]</c>, <c>.a[*].b</c> and filters
/// <c>.a[?(@.type=="Ready")].status</c>. Returns every match in order.
/// </summary>
internal static class JsonPathLite
{
    public static List<JsonNode> Evaluate(JsonNode? root, string path)
    {
        var current = new List<JsonNode>();
        if (root is not null)
        {
            current.Add(root);
        }

        var text = path.Trim().TrimStart('{').TrimEnd('}').TrimStart('$');
        var i = 0;
        while (i < text.Length && current.Count > 0)
        {
            if (text[i] == '.')
            {
                i++;
                var start = i;
                while (i < text.Length && text[i] != '.' && text[i] != '[')
                {
                    i++;
                }

                var name = text[start..i];
                if (name.Length == 0)
                {
                    continue;
                }

                current = current.Select(n => n is JsonObject o ? o[name] : null).OfType<JsonNode>().ToList();
            }
            else if (text[i] == '[')
            {
                var end = text.IndexOf(']', i);
                if (end < 0)
                {
                    return [];
                }

                var selector = text[(i + 1)..end];
                i = end + 1;
                current = Select(current, selector);
            }
            else
            {
                return [];
            }
        }

        return current;
    }

    private static List<JsonNode> Select(List<JsonNode> nodes, string selector)
    {
        var items = nodes.OfType<JsonArray>().SelectMany(a => a).OfType<JsonNode>().ToList();
        if (selector == "*")
        {
            return items;
        }

        if (int.TryParse(selector, out var index))
        {
            return nodes.OfType<JsonArray>().Select(a => index >= 0 && index < a.Count ? a[index] : index < 0 && -index <= a.Count ? a[a.Count + index] : null).OfType<JsonNode>().ToList();
        }

        if (selector.StartsWith("?(@.", StringComparison.Ordinal) && selector.EndsWith(')'))
        {
            var expression = selector[4..^1];
            var eq = expression.IndexOf("==", StringComparison.Ordinal);
            if (eq < 0)
            {
                return items.Where(item => Evaluate(item, "." + expression.Trim()).Count > 0).ToList();
            }

            var field = expression[..eq].Trim();
            var expected = expression[(eq + 2)..].Trim().Trim('"', '\'');
            return items.Where(item => Evaluate(item, "." + field).FirstOrDefault() is JsonValue v && Text(v) == expected).ToList();
        }

        return [];
    }

    public static string Text(JsonNode node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node.ToJsonString();
}
