using System.Globalization;
using k8s.Models;

namespace IncidentResponder.Simulator.Controllers;

/// <summary>The <c>deployment.kubernetes.io/*</c> annotations and how they move between Deployments and ReplicaSets.</summary>
public static class DeploymentAnnotations
{
    public const string Revision = "deployment.kubernetes.io/revision";
    public const string RevisionHistory = "deployment.kubernetes.io/revision-history";
    public const string DesiredReplicas = "deployment.kubernetes.io/desired-replicas";
    public const string MaxReplicas = "deployment.kubernetes.io/max-replicas";
    public const string RollbackTo = "deprecated.deployment.rollback.to";
    public const string LastAppliedConfiguration = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>Kubernetes caps revision-history at this many characters (the controller's default).</summary>
    public const int RevisionHistoryMaxChars = 2000;

    /// <summary>Deployment annotations never copied to its ReplicaSets (<c>annotationsToSkip</c>).</summary>
    public static readonly IReadOnlySet<string> NotCopied = new HashSet<string>(StringComparer.Ordinal)
    {
        LastAppliedConfiguration, Revision, RevisionHistory, DesiredReplicas, MaxReplicas, RollbackTo,
    };

    /// <summary>The revision number of a ReplicaSet (0 when absent or unparsable, as <c>deploymentutil.Revision</c> reads it).</summary>
    public static long RevisionOf(V1ObjectMeta metadata) =>
        long.TryParse(KubeObjects.Annotation(metadata, Revision), NumberStyles.Integer, CultureInfo.InvariantCulture, out var revision) ? revision : 0;

    public static long MaxRevision(IEnumerable<V1ReplicaSet> replicaSets) =>
        replicaSets.Select(rs => RevisionOf(rs.Metadata)).DefaultIfEmpty(0).Max();

    /// <summary>
    /// Copies the Deployment's annotations onto the new ReplicaSet and advances its revision, recording the previous
    /// one in revision-history (<c>SetNewReplicaSetAnnotations</c>). Returns true when anything changed.
    /// </summary>
    public static bool SetNewReplicaSetAnnotations(V1Deployment deployment, V1ReplicaSet replicaSet, long newRevision, bool exists, int maxSurge)
    {
        var annotations = replicaSet.Metadata.Annotations ??= new Dictionary<string, string>();
        var changed = CopyDeploymentAnnotations(deployment, annotations);

        var oldRevisionText = annotations.TryGetValue(Revision, out var text) ? text : "";
        long oldRevision = 0;
        if (oldRevisionText.Length > 0 && !long.TryParse(oldRevisionText, NumberStyles.Integer, CultureInfo.InvariantCulture, out oldRevision))
        {
            return false;
        }

        if (oldRevision < newRevision)
        {
            annotations[Revision] = newRevision.ToString(CultureInfo.InvariantCulture);
            changed = true;
            if (oldRevisionText.Length > 0)
            {
                var history = annotations.TryGetValue(RevisionHistory, out var previous) && previous.Length > 0
                    ? previous + "," + oldRevisionText
                    : oldRevisionText;
                while (history.Length > RevisionHistoryMaxChars && history.Contains(',', StringComparison.Ordinal))
                {
                    history = history[(history.IndexOf(',', StringComparison.Ordinal) + 1)..];
                }

                annotations[RevisionHistory] = history;
            }
        }

        if (!exists && SetReplicasAnnotations(replicaSet, DeploymentRules.Replicas(deployment), DeploymentRules.Replicas(deployment) + maxSurge))
        {
            changed = true;
        }

        return changed;
    }

    /// <summary>Sets desired-replicas and max-replicas; true when either changed.</summary>
    public static bool SetReplicasAnnotations(V1ReplicaSet replicaSet, int desired, int max)
    {
        var annotations = replicaSet.Metadata.Annotations ??= new Dictionary<string, string>();
        var desiredText = desired.ToString(CultureInfo.InvariantCulture);
        var maxText = max.ToString(CultureInfo.InvariantCulture);
        var changed = false;
        if (!annotations.TryGetValue(DesiredReplicas, out var currentDesired) || currentDesired != desiredText)
        {
            annotations[DesiredReplicas] = desiredText;
            changed = true;
        }

        if (!annotations.TryGetValue(MaxReplicas, out var currentMax) || currentMax != maxText)
        {
            annotations[MaxReplicas] = maxText;
            changed = true;
        }

        return changed;
    }

    public static bool ReplicasAnnotationsNeedUpdate(V1ReplicaSet replicaSet, int desired, int max) =>
        KubeObjects.Annotation(replicaSet.Metadata, DesiredReplicas) != desired.ToString(CultureInfo.InvariantCulture)
        || KubeObjects.Annotation(replicaSet.Metadata, MaxReplicas) != max.ToString(CultureInfo.InvariantCulture);

    public static int? DesiredReplicasOf(V1ReplicaSet replicaSet) =>
        int.TryParse(KubeObjects.Annotation(replicaSet.Metadata, DesiredReplicas), NumberStyles.Integer, CultureInfo.InvariantCulture, out var desired) ? desired : null;

    /// <summary>The Deployment mirrors its newest ReplicaSet's revision, which <c>kubectl rollout undo</c> relies on.</summary>
    public static bool SetDeploymentRevision(V1Deployment deployment, string revision)
    {
        var annotations = deployment.Metadata.Annotations ??= new Dictionary<string, string>();
        if (annotations.TryGetValue(Revision, out var current) && current == revision)
        {
            return false;
        }

        annotations[Revision] = revision;
        return true;
    }

    private static bool CopyDeploymentAnnotations(V1Deployment deployment, IDictionary<string, string> target)
    {
        var changed = false;
        foreach (var (key, value) in deployment.Metadata.Annotations ?? new Dictionary<string, string>())
        {
            if (NotCopied.Contains(key) || (target.TryGetValue(key, out var existing) && existing == value))
            {
                continue;
            }

            target[key] = value;
            changed = true;
        }

        return changed;
    }
}
