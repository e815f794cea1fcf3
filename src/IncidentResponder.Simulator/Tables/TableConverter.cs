using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator.Tables;

/// <summary>
/// Builds <c>meta.k8s.io/v1 Table</c> responses: built-in printers for known kinds, CRD additionalPrinterColumns for
/// custom resources, and kube's default (Name, Created At) for everything else.
/// </summary>
internal sealed class TableConverter(TimeProvider time)
{
    public JsonObject Convert(ResourceDefinition definition, IReadOnlyList<JsonObject> objects, TableRequest request, string resourceVersion, string? next, bool noHeaders)
    {
        var columns = ColumnsFor(definition);
        var now = time.GetUtcNow();
        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var row = new JsonObject { ["cells"] = new JsonArray(columns.Select(c => c.Cell(obj, now)?.DeepClone()).ToArray()) };
            switch (request.IncludeObject)
            {
                case "None":
                    break;
                case "Object":
                    row["object"] = obj.DeepClone();
                    break;
                default:
                    row["object"] = new JsonObject
                    {
                        ["kind"] = "PartialObjectMetadata",
                        ["apiVersion"] = "meta.k8s.io/v1",
                        ["metadata"] = obj["metadata"]?.DeepClone(),
                    };
                    break;
            }

            rows.Add(row);
        }

        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion };
        if (next is not null)
        {
            metadata["continue"] = next;
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = metadata,
            ["columnDefinitions"] = noHeaders ? null : new JsonArray(columns.Select(c => (JsonNode)c.Definition()).ToArray()),
            ["rows"] = rows,
        };
    }

    private static IReadOnlyList<Column> ColumnsFor(ResourceDefinition definition)
    {
        if (definition.IsCustom)
        {
            return CustomColumns(definition);
        }

        return BuiltinPrinters.For(definition.Type.Group, definition.Type.Kind)
            ?? [BuiltinPrinters.NameColumn, new Column("Created At", "date", 0, (o, now) => BuiltinPrinters.Since(o["metadata"]?["creationTimestamp"]?.GetValue<string>(), now), "", "CreationTimestamp is a timestamp representing the server time when this object was created.")];
    }

    /// <summary>CRD printer columns: Name plus <c>additionalPrinterColumns</c>, or Name + Age when none are declared.</summary>
    private static List<Column> CustomColumns(ResourceDefinition definition)
    {
        var columns = new List<Column> { BuiltinPrinters.NameColumn };
        var declared = definition.CrdVersion?["additionalPrinterColumns"] as JsonArray;
        if (declared is null || declared.Count == 0)
        {
            columns.Add(new Column("Age", "date", 0, (o, now) => Cell(o, ".metadata.creationTimestamp", "date", now)));
            return columns;
        }

        foreach (var column in declared.OfType<JsonObject>())
        {
            var type = BuiltinPrinters.S(column, "type") ?? "string";
            var jsonPath = BuiltinPrinters.S(column, "jsonPath") ?? string.Empty;
            var priority = column["priority"] is JsonValue p && p.TryGetValue<int>(out var pr) ? pr : 0;
            columns.Add(new Column(
                BuiltinPrinters.S(column, "name") ?? jsonPath,
                type,
                priority,
                (o, now) => Cell(o, jsonPath, type, now),
                BuiltinPrinters.S(column, "format") ?? string.Empty,
                BuiltinPrinters.S(column, "description") ?? string.Empty));
        }

        return columns;
    }

    private static JsonNode? Cell(JsonObject obj, string jsonPath, string type, DateTimeOffset now)
    {
        var results = JsonPathLite.Evaluate(obj, jsonPath);
        if (results.Count == 0)
        {
            return null;
        }

        // The apiserver's CRD table convertor prints a date column as the time since it (ConvertToHumanReadableDateType),
        // so kubectl shows "5m" like the built-in AGE column, not the raw timestamp.
        if (results.Count == 1 && results[0] is JsonValue date && type == "date" && date.TryGetValue<string>(out var timestamp))
        {
            return BuiltinPrinters.Since(timestamp, now);
        }

        if (results.Count == 1 && results[0] is JsonValue single && type is "integer" or "number" or "boolean" or "date")
        {
            return single.DeepClone();
        }

        return string.Join(',', results.Select(GoValue));
    }

    /// <summary>How Go's <c>%v</c> prints a decoded JSON value: <c>[a b]</c> for lists, <c>map[k:v]</c> for objects.</summary>
    private static string GoValue(JsonNode? node) => node switch
    {
        JsonArray array => $"[{string.Join(' ', array.Select(GoValue))}]",
        JsonObject obj => $"map[{string.Join(' ', obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{GoValue(p.Value)}"))}]",
        null => "<nil>",
        _ => JsonPathLite.Text(node),
    };
}
