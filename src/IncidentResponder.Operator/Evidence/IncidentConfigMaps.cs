using System.Net;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Runtime.Client;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IncidentResponder.Operator.Evidence;

/// <summary>
/// The ConfigMaps the operator writes for an incident (its evidence and its post-mortem): named after it, labelled as
/// the operator's, and owned by it (controller: true), so they are garbage-collected with the Incident. No
/// blockOwnerDeletion: setting it would need update on incidents/finalizers, and nothing needs the GC to wait.
/// </summary>
public sealed class IncidentConfigMaps(IKubernetes client)
{
    public const string EvidenceSuffix = "-evidence";
    public const string PostmortemSuffix = "-postmortem";
    public const string EvidenceMarkdownKey = "evidence.md";
    public const string EvidenceJsonKey = "evidence.json";
    public const string PostmortemKey = "postmortem.md";

    // Label values are at most 63 characters; an Incident named by a person may be longer, and then goes unlabelled.
    private const int MaxLabelValue = 63;

    public static string EvidenceName(string incident) => incident + EvidenceSuffix;

    public static string PostmortemName(string incident) => incident + PostmortemSuffix;

    public static V1ConfigMap Build(Incident incident, string name, IDictionary<string, string> data)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var labels = new Dictionary<string, string> { [WellKnown.ManagedByLabel] = WellKnown.ManagedByValue };
        if (incident.Metadata.Name.Length <= MaxLabelValue)
        {
            labels[WellKnown.IncidentLabel] = incident.Metadata.Name;
        }

        return new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = incident.Metadata.NamespaceProperty,
                Labels = labels,
                OwnerReferences =
                [
                    new V1OwnerReference
                    {
                        ApiVersion = GroupVersion.ApiVersion, Kind = Incident.KindName, Name = incident.Metadata.Name, Uid = incident.Metadata.Uid, Controller = true,
                    },
                ],
            },
            Data = data,
        };
    }

    /// <summary>The ConfigMap, or null when it does not exist.</summary>
    public Task<V1ConfigMap?> GetAsync(string ns, string name, CancellationToken cancellationToken) =>
        ApiReads.GetOrNullAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: cancellationToken));

    /// <summary>Creates it; false when it already exists (another reconcile or a previous run got there first).</summary>
    public async Task<bool> CreateAsync(V1ConfigMap configMap, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configMap);
        try
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(configMap, configMap.Metadata.NamespaceProperty,
                fieldManager: WellKnown.FieldManager, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    /// <summary>Replaces the data of an existing ConfigMap with a merge patch (keys not named stay).</summary>
    public Task PatchDataAsync(string ns, string name, IDictionary<string, string> data, CancellationToken cancellationToken)
    {
        var patch = new V1Patch(KubernetesJson.Serialize(new { data }), V1Patch.PatchType.MergePatch);
        return client.CoreV1.PatchNamespacedConfigMapAsync(patch, name, ns, fieldManager: WellKnown.FieldManager, cancellationToken: cancellationToken);
    }
}
