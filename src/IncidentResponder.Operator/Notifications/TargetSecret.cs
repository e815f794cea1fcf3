using System.Net;
using System.Text;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Egress;
using IncidentResponder.Runtime.Client;
using k8s;
using k8s.Autorest;

namespace IncidentResponder.Operator.Notifications;

/// <summary>
/// A target's Secret, read by reference at send time (a rotated webhook URL or routing key takes effect on the
/// next update) with one GET in the incident's namespace, which is the policy's: the operator needs no list or
/// watch on Secrets, only the opt-in namespaced secret-reader Role. The values live only as long as one delivery.
/// </summary>
public sealed class TargetSecret(IKubernetes client)
{
    /// <summary>The optional key that overrides PagerDuty's endpoint.</summary>
    public const string UrlKey = "url";

    /// <summary>
    /// The Secret's values by key; or the metric reason (secret_missing, secret_forbidden) and why, in names only.
    /// </summary>
    /// <param name="sendTo">
    /// A URL a Runbook or policy chose, that the value will be sent to: the Secret must consent to it
    /// (<see cref="SecretConsent"/>). Null for Secrets that hold their own destination (a webhook URL, a routing key).
    /// </param>
    public async Task<(IReadOnlyDictionary<string, string>? Values, string? Reason, string? Problem)> ReadAsync(string ns, SecretKeyReference reference, CancellationToken cancellationToken, Uri? sendTo = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        try
        {
            var secret = await client.CoreV1.ReadNamespacedSecretAsync(reference.Name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (sendTo is not null && SecretConsent.Refusal(ns, reference.Name, secret.Metadata?.Annotations?.AsReadOnly(), sendTo) is { } refusal)
            {
                return (null, "secret_no_consent", refusal);
            }

            var values = (secret.Data ?? new Dictionary<string, byte[]>()).ToDictionary(d => d.Key, d => Encoding.UTF8.GetString(d.Value).Trim(), StringComparer.Ordinal);
            return values.ContainsKey(reference.Key)
                ? (values, null, null)
                : (null, "secret_missing", $"Secret {ns}/{reference.Name} has no key {reference.Key}");
        }
        catch (HttpOperationException error) when (error.IsNotFound())
        {
            return (null, "secret_missing", $"Secret {ns}/{reference.Name} not found");
        }
        catch (HttpOperationException error) when (error.Response.StatusCode is HttpStatusCode.Forbidden)
        {
            return (null, "secret_forbidden", $"reading Secret {ns}/{reference.Name} is forbidden: enable the secret-reader Role in namespace {ns}");
        }
    }
}
