using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Evidence;
using k8s;
using k8s.Models;

namespace IncidentResponder.Operator.History;

/// <summary>
/// The evidence and post-mortem ConfigMaps the evidence feature writes for an incident (names and keys:
/// <see cref="IncidentConfigMaps"/>), read by name with GET: the operator watches no ConfigMaps.
/// </summary>
public sealed class IncidentArtifacts(IKubernetes client)
{
    private readonly IncidentConfigMaps _configMaps = new(client);

    public async Task<Artifacts> ReadAsync(Incident incident, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var evidence = await OwnedAsync(IncidentConfigMaps.EvidenceName(incident.Metadata.Name), incident, cancellationToken).ConfigureAwait(false);
        var postmortem = await OwnedAsync(IncidentConfigMaps.PostmortemName(incident.Metadata.Name), incident, cancellationToken).ConfigureAwait(false);
        return new Artifacts(evidence, postmortem);
    }

    /// <summary>The ConfigMap when it exists and belongs to this very incident (not to an earlier one of the same name).</summary>
    private async Task<V1ConfigMap?> OwnedAsync(string name, Incident incident, CancellationToken cancellationToken)
    {
        var configMap = await _configMaps.GetAsync(incident.Metadata.NamespaceProperty, name, cancellationToken).ConfigureAwait(false);
        var owners = configMap?.Metadata.OwnerReferences ?? [];
        return configMap is not null && (owners.Count == 0 || owners.Any(o => o.Uid == incident.Metadata.Uid)) ? configMap : null;
    }
}

/// <summary>An incident's ConfigMaps as found (null: none).</summary>
public sealed record Artifacts(V1ConfigMap? Evidence, V1ConfigMap? Postmortem)
{
    /// <summary>Changes whenever either ConfigMap is created, changed or deleted.</summary>
    public string Version => $"{Evidence?.Metadata.ResourceVersion}|{Postmortem?.Metadata.ResourceVersion}";

    public static string? Value(V1ConfigMap? configMap, string key) => configMap?.Data?.TryGetValue(key, out var value) == true ? value : null;
}
