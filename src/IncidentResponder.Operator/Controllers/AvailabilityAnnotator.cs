using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Revisions;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Controllers;

/// <summary>
/// Writes the core's <see cref="AvailabilityEvidence"/> onto the ReplicaSet as an annotation. Pure evidence, not an
/// effect on the workload, so no intent is recorded first: writing the same time twice changes nothing, and a merge
/// patch of one annotation touches nothing else. A conflict (409) is tried again at once; any other failure is logged
/// and left to the next observation, which still sees the annotation missing. Detection never waits on it.
/// </summary>
public sealed class AvailabilityAnnotator(IKubernetes client, ILogger<AvailabilityAnnotator> logger)
{
    private const int MaxAttempts = 3;

    public async Task RecordAsync(string ns, AvailabilityEvidence evidence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var since = evidence.Since.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [WellKnown.AvailableSinceAnnotation] = since } },
        };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await client.AppsV1.PatchNamespacedReplicaSetAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), evidence.ReplicaSet, ns,
                    fieldManager: WellKnown.FieldManager, cancellationToken: cancellationToken);
                logger.LogDebug("ReplicaSet {Namespace}/{ReplicaSet} fully Available since {Since}", ns, evidence.ReplicaSet, since);
                return;
            }
            catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.Conflict && attempt < MaxAttempts)
            {
                // A merge patch carries no resourceVersion, so a 409 is the server's own race: the same patch again is right.
            }
            catch (HttpOperationException error) when (error.Response.StatusCode != HttpStatusCode.Conflict || attempt >= MaxAttempts)
            {
                logger.LogWarning("Could not record on ReplicaSet {Namespace}/{ReplicaSet} when it became Available ({Status}); the next look tries again",
                    ns, evidence.ReplicaSet, (int)error.Response.StatusCode);
                return;
            }
        }
    }
}
