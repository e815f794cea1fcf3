using IncidentResponder.Core.Observations;

namespace IncidentResponder.Core.Revisions;

/// <summary>
/// Pods a StatefulSet revert does not replace by itself. Under OrderedReady the controller replaces pods one at a time
/// and waits for each to be Running and Ready first; a pod crash-looping on the reverted revision never gets there, so
/// the controller waits on it forever, with the good template already in place. A person (or a runbook that asks for
/// it) deletes such a pod and the controller recreates it on the good revision.
/// </summary>
public static class StuckPods
{
    private static readonly HashSet<string> FailingWaits = new(StringComparer.Ordinal)
    {
        "CrashLoopBackOff", "ErrImagePull", "ImagePullBackOff", "CreateContainerConfigError",
    };

    /// <param name="goodRevisionHash">The controller-revision-hash of the revision rolled back to.</param>
    public static IReadOnlyList<PodObservation> Of(string goodRevisionHash, IEnumerable<PodObservation> pods) =>
        [.. pods.Where(pod => pod.PodTemplateHash is { } hash && hash != goodRevisionHash
            && !pod.Ready
            && pod.Containers.Any(c => (c.WaitingReason is { } waiting && FailingWaits.Contains(waiting)) || (!c.Ready && c.RestartCount > 0)))
            .OrderBy(pod => pod.Name, StringComparer.Ordinal)];
}
