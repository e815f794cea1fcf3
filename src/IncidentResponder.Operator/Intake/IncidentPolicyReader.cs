using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Policy;
using IncidentResponder.Runtime.Client;
using k8s;

namespace IncidentResponder.Operator.Intake;

/// <summary>
/// The policy an incident falls under, read live for a Slack click: the one it names, else (an incident a person
/// declared without one) the policy governing its Deployment, as the notifier chooses it when it sends the message.
/// </summary>
public sealed class IncidentPolicyReader(IKubernetes client)
{
    public async Task<RemediationPolicy?> ReadAsync(string ns, string incidentName, CancellationToken cancellationToken)
    {
        var incident = await ApiReads.GetOrNullAsync(() => client.CustomObjects.GetNamespacedCustomObjectAsync<Incident>(
            GroupVersion.Group, GroupVersion.Version, ns, Incident.Plural, incidentName, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (incident is null)
        {
            return null;
        }

        if (incident.Spec.PolicyRef?.Name is { } policyName)
        {
            return await ApiReads.GetOrNullAsync(() => client.CustomObjects.GetNamespacedCustomObjectAsync<RemediationPolicy>(
                GroupVersion.Group, GroupVersion.Version, ns, RemediationPolicy.Plural, policyName, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        if (incident.Spec.TargetRef is not { Kind: null or "Deployment" } target)
        {
            return null;
        }

        var deployment = await ApiReads.GetOrNullAsync(() => client.AppsV1.ReadNamespacedDeploymentAsync(target.Name, ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (deployment is null)
        {
            return null;
        }

        var policies = await client.CustomObjects.ListNamespacedCustomObjectAsync<CustomResourceList<RemediationPolicy>>(
            GroupVersion.Group, GroupVersion.Version, ns, RemediationPolicy.Plural, cancellationToken: cancellationToken).ConfigureAwait(false);
        return GoverningPolicy.Of(policies.Items, new Dictionary<string, string>(deployment.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal));
    }
}
