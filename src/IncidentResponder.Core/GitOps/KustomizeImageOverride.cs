using YamlDotNet.RepresentationModel;

namespace IncidentResponder.Core.GitOps;

/// <summary>
/// Write-back into a kustomization's <c>images:</c> list. kustomize matches an entry by <c>name</c>, the image name
/// without tag or digest, and renders <c>newName</c> (else the name) with <c>digest</c> (else <c>newTag</c>, else the
/// manifest's own tag). The override decides what runs, so it is edited, never the base manifest under it.
/// </summary>
internal static class KustomizeImageOverride
{
    /// <summary>Null when no override renders this image; otherwise done (an empty plan) or refused.</summary>
    public static WriteBackPlan? Apply(Dictionary<string, string> work, WriteBackChange change, List<string> edits)
    {
        var from = ImageReference.Parse(change.From);
        var to = ImageReference.Parse(change.To);
        foreach (var file in YamlNodes.YamlFiles(work.Keys).Where(YamlNodes.IsKustomization).ToList())
        {
            if (WriteBackPlanner.Documents(work[file]) is not [var kustomization, ..])
            {
                continue;
            }

            foreach (var entry in kustomization.Child("images").Items())
            {
                var name = entry.Text("name");
                var rendered = entry.Text("newName") ?? name;
                if (name is null || (rendered != from.Name && rendered != to.Name))
                {
                    continue;
                }

                return Edit(work, file, entry, name, rendered, from, to, change, edits);
            }
        }

        return null;
    }

    private static WriteBackPlan Edit(Dictionary<string, string> work, string file, YamlMappingNode entry, string name, string rendered,
        ImageReference from, ImageReference to, WriteBackChange change, List<string> edits)
    {
        var replacements = new List<(YamlScalarNode, string)>();
        var newName = entry.ScalarChild("newName");
        if (to.Name != rendered)
        {
            if (newName is null)
            {
                return Unsupported(file, name, $"add newName: {to.Name} to it");
            }

            replacements.Add((newName, to.Name));
        }

        // What the entry pins now (digest over tag, as kustomize renders), and what it must pin.
        var (key, current) = entry.ScalarChild("digest") is { } digest ? ("digest", digest)
            : entry.ScalarChild("newTag") is { } tag ? ("newTag", tag) : (null, null);
        var wanted = key == "digest" ? to.Digest : to.Tag;
        var replaced = key == "digest" ? from.Digest : from.Tag;
        if (current is null || wanted is null)
        {
            return Unsupported(file, name, current is null
                ? $"it sets no newTag or digest, so the tag comes from the base manifest; add newTag: {to.Tag ?? to.Digest} to it"
                : $"it pins a {key} but {change.To} has none; replace {key} with {(to.Digest is null ? "newTag: " + to.Tag : "digest: " + to.Digest)}");
        }

        if (current.Value != wanted && current.Value != replaced)
        {
            return WriteBackPlan.Refused(WriteBackRefusal.Conflict,
                $"{file} overrides image {name} with {key} {current.Value}, not {replaced} which the operator replaced: git changed since; nothing written, decide whether {change.To} should replace it");
        }

        replacements.Add((current, wanted));
        WriteBackPlanner.Write(work, file, replacements, edits, $"{change.Describe()} (kustomize images entry {name})");
        return new WriteBackPlan(new Dictionary<string, string>(), [], null, null);
    }

    private static WriteBackPlan Unsupported(string file, string name, string what) =>
        WriteBackPlan.Refused(WriteBackRefusal.Unsupported, $"{file} overrides image {name} in images: but not in a way write-back edits; {what} by hand");
}
