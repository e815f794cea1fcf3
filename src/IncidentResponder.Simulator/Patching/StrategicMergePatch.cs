using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator.Patching;

/// <summary>
/// Strategic merge patch for built-in types (k8s.io/apimachinery strategicpatch): merge-keyed lists, primitive set
/// lists, and the directives kubectl emits: <c>$patch</c> (replace/delete/merge), <c>$retainKeys</c>,
/// <c>$setElementOrder/&lt;list&gt;</c> and <c>$deleteFromPrimitiveList/&lt;list&gt;</c>.
/// </summary>
public static class StrategicMergePatch
{
    private const string PatchDirective = "$patch";
    private const string RetainKeys = "$retainKeys";
    private const string SetElementOrder = "$setElementOrder/";
    private const string DeleteFromPrimitiveList = "$deleteFromPrimitiveList/";

    public static JsonObject Apply(JsonObject original, JsonNode patch)
    {
        if (patch is not JsonObject patchObject)
        {
            throw ApiErrors.BadRequest("strategic merge patch must be a JSON object");
        }

        return MergeMap(original.DeepClone().AsObject(), patchObject, []) ?? new JsonObject();
    }

    private static JsonObject? MergeMap(JsonObject original, JsonObject patch, List<string> path)
    {
        switch (Directive(patch))
        {
            case "delete":
                return null;
            case "replace":
                return StripDirectives(patch);
            case null or "merge":
                break;
            case var other:
                throw ApiErrors.BadRequest($"Unknown patch type: {other} in map: {patch.ToJsonString()}");
        }

        foreach (var (key, value) in patch)
        {
            if (key.StartsWith('$'))
            {
                continue;
            }

            if (value is null)
            {
                original.Remove(key);
                continue;
            }

            var childPath = new List<string>(path) { key };
            switch (value)
            {
                case JsonObject patchChild when original[key] is JsonObject originalChild:
                    var merged = MergeMap(originalChild, patchChild, childPath);
                    if (merged is null)
                    {
                        original.Remove(key);
                    }
                    else
                    {
                        original[key] = merged;
                    }

                    break;
                case JsonObject patchChild:
                    var created = MergeMap(new JsonObject(), patchChild, childPath);
                    if (created is null)
                    {
                        original.Remove(key);
                    }
                    else
                    {
                        original[key] = created;
                    }

                    break;
                case JsonArray patchList:
                    original[key] = MergeList(original[key] as JsonArray, patchList, path, key, patch[SetElementOrder + key] as JsonArray);
                    break;
                default:
                    original[key] = value.DeepClone();
                    break;
            }
        }

        foreach (var (key, value) in patch)
        {
            if (key.StartsWith(DeleteFromPrimitiveList, StringComparison.Ordinal) && value is JsonArray toDelete
                && original[key[DeleteFromPrimitiveList.Length..]] is JsonArray list)
            {
                foreach (var item in list.Where(i => toDelete.Any(d => JsonNode.DeepEquals(d, i))).ToList())
                {
                    list.Remove(item);
                }
            }
            else if (key.StartsWith(SetElementOrder, StringComparison.Ordinal) && value is JsonArray order
                && !patch.ContainsKey(key[SetElementOrder.Length..]) && original[key[SetElementOrder.Length..]] is JsonArray existing)
            {
                var field = key[SetElementOrder.Length..];
                var (_, mergeKey) = MergeKeys.For(path, field);
                original[field] = Order(existing, order, mergeKey);
            }
        }

        if (patch[RetainKeys] is JsonArray retain)
        {
            var keep = retain.Select(k => ObjectRules.Str(k)).OfType<string>().ToHashSet(StringComparer.Ordinal);
            foreach (var key in original.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                original.Remove(key);
            }
        }

        return original;
    }

    private static JsonArray MergeList(JsonArray? original, JsonArray patch, List<string> parents, string field, JsonArray? order)
    {
        var (strategy, mergeKey) = MergeKeys.For(parents, field);
        if (patch.Any(i => i is JsonObject o && Directive(o) == "replace"))
        {
            return new JsonArray(patch.Where(i => !(i is JsonObject o && Directive(o) == "replace")).Select(i => StripAll(i)).ToArray());
        }

        if (strategy == ListStrategy.Replace || original is null)
        {
            var fresh = new JsonArray(patch.Where(i => !(i is JsonObject o && Directive(o) == "delete")).Select(i => StripAll(i)).ToArray());
            return order is null ? fresh : Order(fresh, order, mergeKey);
        }

        var result = original.DeepClone().AsArray();
        if (strategy == ListStrategy.MergePrimitives)
        {
            foreach (var item in patch)
            {
                if (!result.Any(existing => JsonNode.DeepEquals(existing, item)))
                {
                    result.Add(item?.DeepClone());
                }
            }

            return order is null ? result : Order(result, order, null);
        }

        var childParents = new List<string>(parents) { field };
        foreach (var item in patch)
        {
            if (item is not JsonObject patchItem || patchItem[mergeKey!] is not { } keyValue)
            {
                throw ApiErrors.BadRequest($"map: {item?.ToJsonString()} does not contain declared merge key: {mergeKey}");
            }

            var index = result.ToList().FindIndex(existing => existing is JsonObject e && JsonNode.DeepEquals(e[mergeKey!], keyValue));
            if (Directive(patchItem) == "delete")
            {
                if (index >= 0)
                {
                    result.RemoveAt(index);
                }

                continue;
            }

            if (index >= 0)
            {
                var merged = MergeMap(result[index]!.AsObject().DeepClone().AsObject(), patchItem, childParents);
                result[index] = merged;
            }
            else
            {
                result.Add(MergeMap(new JsonObject(), patchItem, childParents));
            }
        }

        return order is null ? result : Order(result, order, mergeKey);
    }

    /// <summary>Applies <c>$setElementOrder</c>: listed items first in the given order, then the rest as they were.</summary>
    private static JsonArray Order(JsonArray items, JsonArray order, string? mergeKey)
    {
        var remaining = items.Select(i => i?.DeepClone()).ToList();
        var ordered = new List<JsonNode?>();
        foreach (var wanted in order)
        {
            var key = mergeKey is null ? wanted : wanted?[mergeKey];
            var at = remaining.FindIndex(i => JsonNode.DeepEquals(mergeKey is null ? i : i?[mergeKey], key));
            if (at >= 0)
            {
                ordered.Add(remaining[at]);
                remaining.RemoveAt(at);
            }
        }

        return new JsonArray([.. ordered, .. remaining]);
    }

    private static string? Directive(JsonObject obj) => ObjectRules.Str(obj[PatchDirective]);

    private static JsonObject StripDirectives(JsonObject obj)
    {
        var copy = obj.DeepClone().AsObject();
        foreach (var key in copy.Select(p => p.Key).Where(k => k.StartsWith('$')).ToList())
        {
            copy.Remove(key);
        }

        return copy;
    }

    private static JsonNode? StripAll(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.Where(p => !p.Key.StartsWith('$')).Select(p => KeyValuePair.Create(p.Key, StripAll(p.Value)))),
        JsonArray array => new JsonArray(array.Select(StripAll).ToArray()),
        _ => node?.DeepClone(),
    };
}
