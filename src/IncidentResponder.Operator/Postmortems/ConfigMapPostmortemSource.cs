using IncidentResponder.Operator.Evidence;
using IncidentResponder.Operator.Observation;

namespace IncidentResponder.Operator.Postmortems;

/// <summary>The post-mortem the operator stored next to the Incident, in its <c>&lt;incident&gt;-postmortem</c> ConfigMap.</summary>
public sealed class ConfigMapPostmortemSource(IncidentConfigMaps configMaps) : IPostmortemSource
{
    public string Describe(string ns, string incident) => $"ConfigMap {ns}/{IncidentConfigMaps.PostmortemName(incident)}";

    public async Task<string?> FindAsync(string ns, string incident, CancellationToken cancellationToken) =>
        Projections.Value((await configMaps.GetAsync(ns, IncidentConfigMaps.PostmortemName(incident), cancellationToken).ConfigureAwait(false))?.Data,
            IncidentConfigMaps.PostmortemKey);
}
