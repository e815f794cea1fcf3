using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.Kubelet;
using k8s.Models;

namespace IncidentResponder.Simulator.Metrics;

/// <summary>
/// What the simulated traffic of one pod depends on: who it is (the labels a query groups by), since when its
/// application has been serving, and the application fault it carries.
/// </summary>
public sealed record PodTraffic(string Namespace, string Pod, string Deployment, string PodTemplateHash, DateTimeOffset ServingSince, FaultSpec Fault)
{
    /// <summary>
    /// The traffic of a pod whose first running container serves, or null when none runs. A container restart starts
    /// the count again, as a restarted process's counters do. <paramref name="imageFault"/> is the fault the
    /// <c>sim-faults</c> ConfigMap gives one of its images; the pod's own annotation wins, as in the kubelet.
    /// </summary>
    public static PodTraffic? From(V1Pod pod, FaultSpec? imageFault)
    {
        var started = pod.Status?.ContainerStatuses?.Select(status => status.State?.Running?.StartedAt).FirstOrDefault(at => at is not null);
        if (pod.Status?.Phase != "Running" || started is not { } startedAt)
        {
            return null;
        }

        var fault = FaultSpec.FromPod(pod);
        if (fault.Kind == FaultKind.None && imageFault is not null)
        {
            fault = imageFault;
        }

        var hash = pod.Metadata.Labels?.TryGetValue(Controllers.PodTemplateHash.Label, out var value) == true ? value : string.Empty;
        return new PodTraffic(pod.Metadata.NamespaceProperty, pod.Metadata.Name, DeploymentOf(pod.Metadata, hash), hash, KubeObjects.Utc(startedAt), fault);
    }

    /// <summary>The Deployment a ReplicaSet-owned pod belongs to: the ReplicaSet's name without its <c>-&lt;pod-template-hash&gt;</c> suffix.</summary>
    private static string DeploymentOf(V1ObjectMeta metadata, string hash)
    {
        if (KubeObjects.ControllerOf(metadata) is not { Kind: "ReplicaSet" } owner)
        {
            return string.Empty;
        }

        var suffix = "-" + hash;
        return hash.Length > 0 && owner.Name.EndsWith(suffix, StringComparison.Ordinal) ? owner.Name[..^suffix.Length] : owner.Name;
    }
}
