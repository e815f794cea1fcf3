using System.Collections.Concurrent;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Evidence;
using IncidentResponder.Core.Postmortems;
using IncidentResponder.Operator.Evidence;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Controllers;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Postmortems;

/// <summary>
/// Keyed by Incident, on its own queue: when an incident is Resolved (or Escalated: a draft with what is known), writes
/// its post-mortem draft to the <c>&lt;incident&gt;-postmortem</c> ConfigMap, and rewrites it only when the rendering
/// changes (a reopened and re-resolved incident, a scale-back recorded after resolution).
/// </summary>
public sealed class PostmortemReconciler(ClusterCache cache, IncidentConfigMaps configMaps, ILogger<PostmortemReconciler> logger) : IReconciler
{
    public const string Name = "postmortem";

    // The incident version (namespace/name → uid and resourceVersion) whose post-mortem is stored: a reconcile of the
    // same version costs nothing. An entry goes when its Incident does, so this holds only live incidents.
    private readonly ConcurrentDictionary<string, string> _writtenFor = new(StringComparer.Ordinal);

    public async Task<ReconcileResult> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        var key = $"{request.Namespace}/{request.Name}";
        var incident = cache.Incident(request.Namespace ?? string.Empty, request.Name);
        if (incident is null)
        {
            _writtenFor.TryRemove(key, out _);
            return ReconcileResult.Done;
        }

        if (incident.Status?.Phase is not (IncidentPhase.Resolved or IncidentPhase.Escalated))
        {
            return ReconcileResult.Done;
        }

        var version = $"{incident.Metadata.Uid}/{incident.Metadata.ResourceVersion}";
        if (_writtenFor.TryGetValue(key, out var written) && written == version)
        {
            return ReconcileResult.Done;
        }

        var ns = incident.Metadata.NamespaceProperty;
        var evidence = await configMaps.GetAsync(ns, IncidentConfigMaps.EvidenceName(incident.Metadata.Name), cancellationToken);
        var policy = incident.Spec.PolicyRef is { } policyRef ? cache.Policy(ns, policyRef.Name) : null;
        var markdown = PostmortemRenderer.Render(new PostmortemInput(incident,
            EvidenceJson.TryDeserialize(Projections.Value(evidence?.Data, IncidentConfigMaps.EvidenceJsonKey)),
            ResponseTargets.From(policy?.Spec.Objectives)));

        var name = IncidentConfigMaps.PostmortemName(incident.Metadata.Name);
        var data = new Dictionary<string, string>(StringComparer.Ordinal) { [IncidentConfigMaps.PostmortemKey] = markdown };
        var existing = await configMaps.GetAsync(ns, name, cancellationToken);
        if (existing is null && await configMaps.CreateAsync(IncidentConfigMaps.Build(incident, name, data), cancellationToken))
        {
            logger.LogInformation("Post-mortem draft of incident {Namespace}/{Incident} written to ConfigMap {ConfigMap}", ns, incident.Metadata.Name, name);
        }
        else if (Projections.Value(existing?.Data, IncidentConfigMaps.PostmortemKey) != markdown)
        {
            await configMaps.PatchDataAsync(ns, name, data, cancellationToken);
            logger.LogInformation("Post-mortem draft of incident {Namespace}/{Incident} updated in ConfigMap {ConfigMap}", ns, incident.Metadata.Name, name);
        }

        _writtenFor[key] = version;
        return ReconcileResult.Done;
    }
}
