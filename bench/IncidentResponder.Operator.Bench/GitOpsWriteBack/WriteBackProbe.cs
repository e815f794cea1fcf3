using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Operator.Bench.GitOpsWriteBack;

/// <summary>
/// Reads from the simulator's store what each moment of an incident looks like: the first crash-looping pod of the
/// bad revision, the Deployment's template back at the good image, and the incident's write-back and pause phases.
/// </summary>
internal static class WriteBackProbe
{
    private static readonly ResourceType Incidents = new(GroupVersion.Group, GroupVersion.Version, Incident.Plural, Incident.KindName, true);

    public static string? TemplateImage(IClusterStore store, int i) =>
        (string?)store.Get(BuiltinResources.Deployments, WriteBackManifests.Namespace, WriteBackManifests.AppName(i))?["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"];

    /// <summary>True once any pod of the app runs the bad image and waits in CrashLoopBackOff: the clear signal.</summary>
    public static bool BadPodCrashLooping(IClusterStore store, int i) =>
        store.List(BuiltinResources.Pods, WriteBackManifests.Namespace, $"app={WriteBackManifests.AppName(i)}").Any(pod =>
            (string?)pod["spec"]?["containers"]?[0]?["image"] == WriteBackManifests.BadImage
            && pod["status"]?["containerStatuses"]?.AsArray().Any(c => (string?)c?["state"]?["waiting"]?["reason"] == "CrashLoopBackOff") == true);

    /// <summary>The incident about each app (by target name), as the operator last wrote it.</summary>
    public static Dictionary<string, (string? WriteBack, string? Pause, string? Commit)> IncidentsByTarget(IClusterStore store)
    {
        var byTarget = new Dictionary<string, (string?, string?, string?)>(StringComparer.Ordinal);
        foreach (var incident in store.List(Incidents, WriteBackManifests.Namespace))
        {
            if ((string?)incident["spec"]?["targetRef"]?["name"] is { } target)
            {
                var gitOps = incident["status"]?["gitops"];
                byTarget[target] = ((string?)gitOps?["writeBack"]?["phase"], (string?)gitOps?["pause"]?["phase"], (string?)gitOps?["writeBack"]?["commit"]);
            }
        }

        return byTarget;
    }
}
