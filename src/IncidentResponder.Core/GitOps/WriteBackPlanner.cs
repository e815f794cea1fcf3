using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IncidentResponder.Core.GitOps;

/// <summary>
/// Decides which lines of git to change so git declares what the operator set in the cluster. Pure: the shell reads
/// the files under the owner's path and writes back what this returns. Per change, the declaration that wins is
/// edited: a kustomization's <c>images:</c> override over the base manifest, a Flux HelmRelease's values, else the plain
/// manifest declaring the workload. A value already equal to <c>To</c> is left alone; a third value (neither
/// <c>From</c> nor <c>To</c>) is a refusal, since someone changed git since and a person should decide.
/// </summary>
public static class WriteBackPlanner
{
    /// <param name="path">The owner's path in the repository, for reasons only.</param>
    /// <param name="files">The text of each file under the path, keyed by its path relative to <paramref name="path"/>.</param>
    public static WriteBackPlan Plan(string path, IReadOnlyDictionary<string, string> files, IReadOnlyList<WriteBackChange> changes)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(changes);
        var where = string.IsNullOrEmpty(path) || path == "." ? "the repository root" : $"path {path}";
        var work = new Dictionary<string, string>(files, StringComparer.Ordinal);
        var edits = new List<string>();
        foreach (var change in changes)
        {
            WriteBackPlan? refused;
            try
            {
                refused = change.Field switch
                {
                    WriteBackChange.Image => KustomizeImageOverride.Apply(work, change, edits)
                        ?? HelmReleaseImageValues.Apply(work, change, edits)
                        ?? WorkloadManifest.Apply(work, change, edits, where),
                    WriteBackChange.MemoryLimit or WriteBackChange.Replicas => WorkloadManifest.Apply(work, change, edits, where),
                    _ => WriteBackPlan.Refused(WriteBackRefusal.Unsupported,
                        $"write-back edits image, memoryLimit and replicas, not {change.Field}: change it in git by hand to {change.To}"),
                };
            }
            catch (YamlException malformed)
            {
                // Load() turns malformed YAML into a skipped file; this is for what YamlDotNet still throws past that.
                refused = WriteBackPlan.Refused(WriteBackRefusal.Unsupported, $"a manifest under {where} could not be read as YAML ({malformed.Message}): change {change.Describe()} by hand");
            }

            if (refused is { Refusal: not null })
            {
                return refused;
            }
        }

        var edited = work.Where(file => !files.TryGetValue(file.Key, out var before) || before != file.Value)
            .ToDictionary(file => file.Key, file => file.Value, StringComparer.Ordinal);
        return new WriteBackPlan(edited, edits, null, null);
    }

    /// <summary>
    /// Whether the files already declare every <c>To</c> value: true, false (a change is still to be made), or null
    /// with the reason when that cannot be told (the value is not declared there, or in a shape not edited).
    /// </summary>
    public static (bool? Holds, string? Reason) Holds(string path, IReadOnlyDictionary<string, string> files, IReadOnlyList<WriteBackChange> changes)
    {
        var plan = Plan(path, files, changes);
        return plan.Refusal switch
        {
            WriteBackRefusal.Conflict => (false, plan.Reason),
            not null => (null, plan.Reason),
            _ => (plan.AlreadyHolds, null),
        };
    }

    /// <summary>Replaces scalars in one file of the working set and records the edits that changed something.</summary>
    internal static void Write(Dictionary<string, string> work, string file, IReadOnlyList<(YamlScalarNode Scalar, string Value)> replacements, List<string> edits, string what)
    {
        if (replacements.All(r => r.Scalar.Value == r.Value))
        {
            return;
        }

        work[file] = ManifestEdit.ReplaceScalars(work[file], replacements);
        edits.Add($"{file}: {what}");
    }

    /// <summary>The mapping documents of a file, or none when it is not valid YAML (such a file declares nothing to edit).</summary>
    internal static List<YamlMappingNode> Documents(string text) => ManifestEdit.Load(text, out _) ?? [];
}
