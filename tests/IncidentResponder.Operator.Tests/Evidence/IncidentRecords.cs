using IncidentResponder.Operator.Evidence;
using IncidentResponder.Operator.Tests.Support;
using IncidentResponder.Simulator;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IncidentResponder.Operator.Tests.Evidence;

/// <summary>Reads the ConfigMaps the operator writes for an incident, and the operator's own requests about them.</summary>
internal static class IncidentRecords
{
    /// <summary>Waits for the ConfigMap to exist and hold <paramref name="key"/>.</summary>
    public static Task<V1ConfigMap> ConfigMapAsync(OperatorCluster cluster, string name, string key, Func<string, bool>? ready = null) =>
        Eventually.ValueAsync(async () =>
        {
            try
            {
                var map = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync(name, OperatorCluster.Namespace, cancellationToken: TestContext.Current.CancellationToken);
                return map.Data?.TryGetValue(key, out var value) == true && (ready?.Invoke(value) ?? true) ? map : null;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return null;
            }
        }, $"ConfigMap {name} with {key}");

    /// <summary>The operator's requests (kubectl's left out) with this verb on this resource[/subresource].</summary>
    public static IReadOnlyList<AuditRecord> OperatorRequests(OperatorCluster cluster, string verb, string resource, string? subresource = null) =>
        [.. cluster.Cluster.Hooks.AuditLog.Where(r => r.Verb == verb && r.Resource == resource && r.Subresource == subresource
            && r.UserAgent?.StartsWith("kubectl", StringComparison.Ordinal) != true)];

    public static void AssertOwnedByTheIncident(V1ConfigMap map, IncidentResponder.Api.V1Alpha1.Incident incident)
    {
        var owner = Assert.Single(map.Metadata.OwnerReferences);
        Assert.Equal(("Incident", incident.Metadata.Name, incident.Metadata.Uid, true), (owner.Kind, owner.Name, owner.Uid, owner.Controller == true));
        Assert.Equal("incident-responder", map.Metadata.Labels["app.kubernetes.io/managed-by"]);
        Assert.Equal(incident.Metadata.Name, map.Metadata.Labels["incidentresponder.dev/incident"]);
        Assert.EndsWith(map.Metadata.Name.EndsWith(IncidentConfigMaps.EvidenceSuffix, StringComparison.Ordinal) ? IncidentConfigMaps.EvidenceSuffix : IncidentConfigMaps.PostmortemSuffix,
            map.Metadata.Name, StringComparison.Ordinal);
    }
}
