using YamlDotNet.RepresentationModel;

namespace IncidentResponder.Core.GitOps;

/// <summary>
/// Write-back into a plain manifest that declares the workload itself: a container's image or memory limit under
/// <c>spec.template.spec</c>, or <c>spec.replicas</c>.
/// </summary>
internal static class WorkloadManifest
{
    /// <summary>Edits the declaration of the change; null when done (or already true), else the refusal.</summary>
    public static WriteBackPlan? Apply(Dictionary<string, string> work, WriteBackChange change, List<string> edits, string where)
    {
        foreach (var file in YamlNodes.YamlFiles(work.Keys).Where(f => !YamlNodes.IsKustomization(f)).ToList())
        {
            foreach (var document in WriteBackPlanner.Documents(work[file]))
            {
                if (document.Text("kind") != change.Kind || document.Child("metadata").Text("name") != change.Name)
                {
                    continue;
                }

                var (scalar, missing) = Locate(document, change);
                if (scalar is null)
                {
                    return WriteBackPlan.Refused(WriteBackRefusal.NotFound,
                        $"{file} under {where} declares {change.Kind} {change.Name} but {missing}: set {change.Field} to {change.To} by hand if git should declare it");
                }

                if (scalar.Value == change.To)
                {
                    return null;
                }

                if (scalar.Value != change.From)
                {
                    return WriteBackPlan.Refused(WriteBackRefusal.Conflict,
                        $"{file} declares {change.Field} {scalar.Value} for {change.Kind} {change.Name}, not {change.From} which the operator replaced: git changed since; nothing written, decide whether {change.To} should replace it");
                }

                WriteBackPlanner.Write(work, file, [(scalar, change.To)], edits, change.Describe());
                return null;
            }
        }

        return WriteBackPlan.Refused(WriteBackRefusal.NotFound,
            $"no manifest under {where} declares {change.Kind} {change.Name}; it may be generated: change {change.Field} to {change.To} by hand");
    }

    private static (YamlScalarNode? Scalar, string Missing) Locate(YamlMappingNode document, WriteBackChange change)
    {
        var spec = document.Child("spec");
        if (change.Field == WriteBackChange.Replicas)
        {
            // A manifest without replicas leaves them to an HPA or the default: nothing in git to change.
            return (spec.ScalarChild("replicas"), "no spec.replicas (an autoscaler or the default may own it)");
        }

        var pod = spec.Child("template").Child("spec");
        var containers = pod.Child("containers").Items().Concat(pod.Child("initContainers").Items()).ToList();
        var container = change.Container is not null
            ? containers.FirstOrDefault(c => c.Text("name") == change.Container)
            : containers.FirstOrDefault(c => c.Text("image") == change.From) ?? containers.FirstOrDefault(c => c.Text("image") == change.To)
                ?? (containers.Count == 1 ? containers[0] : null);
        if (container is null)
        {
            return (null, change.Container is null ? "no single container to change" : $"no container {change.Container}");
        }

        return change.Field == WriteBackChange.Image
            ? (container.ScalarChild("image"), $"container {container.Text("name")} has no image")
            : (container.Child("resources").Child("limits").ScalarChild("memory"), $"container {container.Text("name")} has no resources.limits.memory");
    }
}
