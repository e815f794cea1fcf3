using System.Text.Json.Nodes;

namespace IncidentResponder.Simulator.Validation;

/// <summary>
/// Structural pruning, as the apiserver does on every write to a custom resource: fields the schema does not declare
/// are dropped, except below <c>x-kubernetes-preserve-unknown-fields: true</c>. At the root, apiVersion, kind and
/// metadata are always kept (the apiserver handles them itself).
/// </summary>
public static class SchemaPruner
{
    private static readonly HashSet<string> RootFields = ["apiVersion", "kind", "metadata"];

    /// <summary>Prunes <paramref name="document"/> in place and returns the paths of the dropped fields (for "unknown field" warnings).</summary>
    public static IReadOnlyList<string> Prune(JsonObject schema, JsonObject document)
    {
        var pruned = new List<string>();
        PruneObject(schema, document, "", pruned, isRoot: true);
        return pruned;
    }

    private static void PruneObject(JsonObject? schema, JsonObject obj, string path, List<string> pruned, bool isRoot)
    {
        var preserveUnknown = SchemaNavigation.Flag(schema, "x-kubernetes-preserve-unknown-fields");
        foreach (var name in obj.Select(pair => pair.Key).ToList())
        {
            var memberPath = SchemaNavigation.Member(path, schema, name);
            if (isRoot && RootFields.Contains(name))
            {
                continue;
            }

            var memberSchema = SchemaNavigation.Property(schema, name);
            if (memberSchema is null)
            {
                if (!preserveUnknown)
                {
                    obj.Remove(name);
                    pruned.Add(memberPath);
                }

                continue;
            }

            PruneValue(memberSchema, obj[name], memberPath, pruned);
        }
    }

    private static void PruneValue(JsonObject schema, JsonNode? value, string path, List<string> pruned)
    {
        switch (value)
        {
            case JsonObject obj:
                PruneObject(schema, obj, path, pruned, isRoot: false);
                break;
            case JsonArray array when SchemaNavigation.Items(schema) is { } items:
                for (var i = 0; i < array.Count; i++)
                {
                    PruneValue(items, array[i], SchemaNavigation.Index(path, i), pruned);
                }

                break;
        }
    }
}
