using YamlDotNet.RepresentationModel;

namespace IncidentResponder.Core.GitOps;

/// <summary>
/// Write-back into a Flux HelmRelease's <c>spec.values</c>: charts take an image either whole (<c>image: nginx:1.26</c>)
/// or split (<c>image: {repository: nginx, tag: "1.26"}</c>). Either scalar is edited where it equals the bad image;
/// where the values already name the good image there is nothing to do.
/// </summary>
internal static class HelmReleaseImageValues
{
    // Values nest a handful of levels; the bound keeps a hostile file from walking forever.
    private const int MaxDepth = 32;

    /// <summary>Null when no HelmRelease's values hold this image; otherwise done (an empty plan).</summary>
    public static WriteBackPlan? Apply(Dictionary<string, string> work, WriteBackChange change, List<string> edits)
    {
        var from = ImageReference.Parse(change.From);
        var to = ImageReference.Parse(change.To);
        var found = false;
        foreach (var file in YamlNodes.YamlFiles(work.Keys).Where(f => !YamlNodes.IsKustomization(f)).ToList())
        {
            var replacements = new List<(YamlScalarNode, string)>();
            foreach (var release in WriteBackPlanner.Documents(work[file]).Where(d => d.Text("kind") == GitOpsOwner.HelmRelease
                && d.Text("apiVersion")?.StartsWith("helm.toolkit.fluxcd.io/", StringComparison.Ordinal) == true))
            {
                found |= Collect(release.Child("spec").Child("values"), change, from, to, replacements, 0);
            }

            WriteBackPlanner.Write(work, file, replacements, edits, $"{change.Describe()} (HelmRelease values)");
        }

        return found ? new WriteBackPlan(new Dictionary<string, string>(), [], null, null) : null;
    }

    // True when the values mention the image (bad or good); the bad mentions are added to the replacements.
    private static bool Collect(YamlNode? node, WriteBackChange change, ImageReference from, ImageReference to,
        List<(YamlScalarNode, string)> replacements, int depth)
    {
        if (depth > MaxDepth)
        {
            return false;
        }

        var found = false;
        switch (node)
        {
            case YamlScalarNode scalar when scalar.Value == change.From:
                replacements.Add((scalar, change.To));
                return true;
            case YamlScalarNode scalar:
                return scalar.Value == change.To;
            case YamlMappingNode map:
                if (map.ScalarChild("repository") is { } repository && map.ScalarChild("tag") is { } tag && to.Tag is not null)
                {
                    if (repository.Value == from.Name && tag.Value == from.Tag)
                    {
                        replacements.Add((repository, to.Name));
                        replacements.Add((tag, to.Tag));
                        return true;
                    }

                    found |= repository.Value == to.Name && tag.Value == to.Tag;
                }

                foreach (var child in map.Children.Values)
                {
                    found |= Collect(child, change, from, to, replacements, depth + 1);
                }

                return found;
            case YamlSequenceNode list:
                foreach (var child in list.Children)
                {
                    found |= Collect(child, change, from, to, replacements, depth + 1);
                }

                return found;
            default:
                return false;
        }
    }
}
