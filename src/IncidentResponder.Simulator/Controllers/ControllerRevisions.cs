using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;
using k8s.Models;

namespace IncidentResponder.Simulator.Controllers;

/// <summary>
/// The ControllerRevision history StatefulSets and DaemonSets keep (<c>pkg/controller/history</c>): each revision's
/// <c>data</c> is the patch that puts its pod template back, <c>{"spec":{"template":{...,"$patch":"replace"}}}</c>,
/// with keys sorted as Go's json.Marshal writes a map. <c>kubectl rollout undo</c> sends exactly that data as a
/// strategic merge patch, and compares it byte for byte with the live object to say "already matches", so the keys
/// must be sorted the same way.
/// </summary>
public static class ControllerRevisions
{
    /// <summary>The label the history package puts on StatefulSet revisions.</summary>
    public const string HashLabel = "controller.kubernetes.io/hash";

    /// <summary>The label on pods (and DaemonSet revisions) naming their revision.</summary>
    public const string PodRevisionLabel = "controller-revision-hash";

    /// <summary>One stored revision, read from the store's JSON.</summary>
    public sealed record Revision(string Name, long Number, JsonNode Data, JsonObject Stored);

    /// <summary>The revision data for a pod template: a replace patch of <c>spec.template</c>, keys sorted.</summary>
    public static JsonObject TemplatePatch(JsonObject template)
    {
        var json = template.DeepClone().AsObject();
        json["$patch"] = "replace";
        return new JsonObject { ["spec"] = new JsonObject { ["template"] = Sorted(json) } };
    }

    /// <summary>
    /// The StatefulSet revision hash (<c>history.HashControllerRevision</c>): FNV-32 over the data bytes, then the
    /// collision count's decimal digits, safe-encoded. FNV-1a is used, as for pod-template-hash (see <see cref="PodTemplateHash"/>).
    /// </summary>
    public static string Hash(JsonNode data, int? collisionCount)
    {
        var hash = PodTemplateHash.Fnv1a32(Encoding.UTF8.GetBytes(data.ToJsonString()), 2166136261u);
        if (collisionCount is { } count)
        {
            hash = PodTemplateHash.Fnv1a32(Encoding.UTF8.GetBytes(count.ToString(CultureInfo.InvariantCulture)), hash);
        }

        return PodTemplateHash.SafeEncode(hash.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary><c>&lt;owner&gt;-&lt;hash&gt;</c>, the prefix cut to 223 characters as upstream does so the name stays valid.</summary>
    public static string Name(string owner, string hash) => $"{(owner.Length > 223 ? owner[..223] : owner)}-{hash}";

    public static V1ControllerRevision New(string kind, V1ObjectMeta owner, IDictionary<string, string>? templateLabels, string hashLabel, string hash, JsonNode data, long number) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "ControllerRevision",
        Metadata = new V1ObjectMeta
        {
            Name = Name(owner.Name, hash),
            NamespaceProperty = owner.NamespaceProperty,
            Labels = new Dictionary<string, string>(templateLabels ?? new Dictionary<string, string>(), StringComparer.Ordinal) { [hashLabel] = hash },
            OwnerReferences = [KubeObjects.ControllerReference("apps/v1", kind, owner)],
        },
        Data = data.DeepClone(),
        Revision = number,
    };

    /// <summary>The revisions <paramref name="ownerUid"/> controls, oldest first.</summary>
    public static List<Revision> Owned(IEnumerable<JsonObject> namespaceRevisions, string ownerUid) =>
        namespaceRevisions
            .Where(stored => stored["metadata"]?["ownerReferences"] is JsonArray owners
                && owners.OfType<JsonObject>().Any(o => o["controller"]?.GetValue<bool>() == true && o["uid"]?.GetValue<string>() == ownerUid)
                && stored["metadata"]?["deletionTimestamp"] is null)
            .Select(stored => new Revision(
                stored["metadata"]!["name"]!.GetValue<string>(),
                Number(stored["revision"]),
                stored["data"] ?? new JsonObject(),
                stored))
            .OrderBy(revision => revision.Number)
            .ThenBy(revision => revision.Name, StringComparer.Ordinal)
            .ToList();

    public static long NextNumber(IReadOnlyList<Revision> history) => history.Count == 0 ? 1 : history.Max(revision => revision.Number) + 1;

    /// <summary>An existing revision's number moves to the top: what a rollback to an earlier template does.</summary>
    public static UpdateObject Renumber(Revision revision, long number)
    {
        var typed = KubeObjects.ToTyped<V1ControllerRevision>(revision.Stored);
        typed.Revision = number;
        return new UpdateObject(BuiltinResources.ControllerRevisions, typed);
    }

    /// <summary>
    /// Deletes the oldest revisions beyond <paramref name="limit"/> that no live pod and neither the current nor the
    /// update revision uses (<c>truncateHistory</c>).
    /// </summary>
    public static IEnumerable<ControllerWrite> Truncate(IReadOnlyList<Revision> history, ISet<string> live, int limit, string? ns)
    {
        var removable = history.Where(revision => !live.Contains(revision.Name)).ToList();
        return removable
            .Take(Math.Max(0, removable.Count - limit))
            .Select(revision => new DeleteObject(BuiltinResources.ControllerRevisions, ns, revision.Name));
    }

    private static long Number(JsonNode? node) =>
        node is JsonValue value && (value.TryGetValue<long>(out var number) || (value.TryGetValue<int>(out var small) && (number = small) == small)) ? number : 0;

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => KeyValuePair.Create(pair.Key, Sorted(pair.Value)))),
        JsonArray array => new JsonArray(array.Select(Sorted).ToArray()),
        _ => node?.DeepClone(),
    };
}
