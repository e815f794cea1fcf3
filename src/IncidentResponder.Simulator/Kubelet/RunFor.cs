using k8s.Models;

namespace IncidentResponder.Simulator.Kubelet;

/// <summary>
/// Containers that finish: a pod annotated <c>sim.incidentresponder.dev/run-for</c> (a Go duration, e.g. <c>30s</c>)
/// has its containers exit 0 after running that long; a pod a Job controls does so after
/// <see cref="KubeletSettings.JobRunTime"/> when it has no annotation, since batch work ends while a server does not.
/// Like every kubelet duration it is divided by the speed factor. A crash or OOM fault that strikes first wins.
/// </summary>
public static class RunFor
{
    public const string Annotation = "sim.incidentresponder.dev/run-for";

    public static TimeSpan? For(V1Pod pod, KubeletSettings settings)
    {
        if (pod.Metadata.Annotations is { } annotations && annotations.TryGetValue(Annotation, out var text)
            && FaultSpec.TryParseGoDuration(text, out var duration))
        {
            return duration;
        }

        return pod.Metadata.OwnerReferences?.Any(owner => owner.Controller == true && owner.Kind == "Job" && owner.ApiVersion == "batch/v1") == true
            ? settings.JobRunTime
            : null;
    }
}
