using System.Text.Json.Nodes;

namespace IncidentResponder.Simulator.Validation;

/// <summary>A CEL rule and where it sits in the schema (e.g. <c>spec.steps[*].action</c>).</summary>
public sealed record CelRuleLocation(string SchemaPath, string Rule, string? Message, string? FieldPath, string? MessageExpression);

/// <summary>Finding CEL rules in a schema, and resolving a rule's fieldPath to the field it reports on.</summary>
public static class CelRules
{
    public static IReadOnlyList<CelRuleLocation> Enumerate(JsonObject schema)
    {
        var found = new List<CelRuleLocation>();
        Collect(schema, "", found);
        return found;
    }

    private static void Collect(JsonObject schema, string path, List<CelRuleLocation> found)
    {
        foreach (var rule in (schema["x-kubernetes-validations"] as JsonArray ?? []).OfType<JsonObject>())
        {
            found.Add(new CelRuleLocation(
                path.Length == 0 ? "<root>" : path,
                SchemaNavigation.Text(rule, "rule") ?? "",
                SchemaNavigation.Text(rule, "message"),
                SchemaNavigation.Text(rule, "fieldPath"),
                SchemaNavigation.Text(rule, "messageExpression")));
        }

        foreach (var (name, property) in schema["properties"] as JsonObject ?? [])
        {
            Collect((JsonObject)property!, SchemaNavigation.Child(path, name), found);
        }

        if (SchemaNavigation.Items(schema) is { } items)
        {
            Collect(items, path + "[*]", found);
        }

        if (schema["additionalProperties"] is JsonObject additional)
        {
            Collect(additional, path + "[*]", found);
        }
    }

    /// <summary>
    /// The field path and value a rule's <c>fieldPath</c> (".action", ".spec['a.b']") names, relative to where the
    /// rule sits. Without a fieldPath the error is reported where the rule sits.
    /// </summary>
    public static (string Path, JsonNode? Value) ApplyFieldPath(string path, JsonNode? value, string? fieldPath)
    {
        if (string.IsNullOrEmpty(fieldPath))
        {
            return (path, value);
        }

        foreach (var name in FieldPathSegments(fieldPath))
        {
            path = SchemaNavigation.Child(path, name);
            value = value is JsonObject obj ? obj[name] : null;
        }

        return (path, value);
    }

    private static IEnumerable<string> FieldPathSegments(string fieldPath)
    {
        var i = 0;
        while (i < fieldPath.Length)
        {
            if (fieldPath[i] == '.')
            {
                var end = fieldPath.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? fieldPath.Length : end;
                yield return fieldPath[(i + 1)..end];
                i = end;
            }
            else if (fieldPath.AsSpan(i).StartsWith("['", StringComparison.Ordinal))
            {
                var end = fieldPath.IndexOf("']", i + 2, StringComparison.Ordinal);
                end = end < 0 ? fieldPath.Length : end;
                yield return fieldPath[(i + 2)..end].Replace("\\'", "'", StringComparison.Ordinal);
                i = Math.Min(end + 2, fieldPath.Length);
            }
            else
            {
                i++;
            }
        }
    }
}
