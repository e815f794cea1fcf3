using System.Net;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Commands;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IncidentResponder.Incidents;

/// <summary>
/// One <c>kubectl incident</c> command's connection: the client, the namespace it works in, where it prints, and the
/// reads every command needs (who the person is, an incident, its runbook's steps).
/// </summary>
internal sealed class PluginSession(IKubernetes client, string ns, TextWriter output) : IDisposable
{
    /// <summary>The user agent of a person's requests, so audit logs tell them from the operator's.</summary>
    public const string UserAgent = "kubectl-incident";

    public IKubernetes Client { get; } = client;

    public string Namespace { get; } = ns;

    public TextWriter Output { get; } = output;

    /// <summary>
    /// Who the person is, as the API server authenticated them: a SelfSubjectReview, as <c>kubectl auth whoami</c>
    /// asks. The name goes into every request the person makes ("by"), so nobody types it and nobody can type another's.
    /// </summary>
    public async Task<string> WhoAmIAsync(CancellationToken ct)
    {
        try
        {
            var review = await Client.AuthenticationV1.CreateSelfSubjectReviewAsync(new V1SelfSubjectReview(), cancellationToken: ct).ConfigureAwait(false);
            return review.Status?.UserInfo?.Username is { Length: > 0 } name
                ? name
                : throw new UserError("the cluster did not say who you are (its SelfSubjectReview has no username): kubectl incident needs an authenticated user");
        }
        catch (HttpOperationException refused) when (refused.Response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            throw new UserError($"the cluster would not say who you are (SelfSubjectReview: HTTP {(int)refused.Response.StatusCode}): ask your cluster admin to bind you the incident-responder-on-call ClusterRole, which grants selfsubjectreviews create", refused);
        }
    }

    /// <summary>The incident, or a <see cref="UserError"/> naming it and where to look when there is none.</summary>
    public async Task<(Incident Incident, string? ResourceVersion)> IncidentAsync(string name, CancellationToken ct)
    {
        try
        {
            var incident = await Client.CustomObjects.GetNamespacedCustomObjectAsync<Incident>(
                GroupVersion.Group, GroupVersion.Version, Namespace, Incident.Plural, name, ct).ConfigureAwait(false);
            return (incident, incident.Metadata?.ResourceVersion);
        }
        catch (HttpOperationException missing) when (missing.Response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new UserError($"incident {name} not found in namespace {Namespace}: see 'kubectl incident board', or pass -n NAMESPACE", missing);
        }
    }

    /// <summary>The names of the runbook's steps; null when the runbook does not exist.</summary>
    public async Task<IReadOnlyList<string>?> RunbookStepsAsync(string runbook, CancellationToken ct)
    {
        try
        {
            var found = await Client.CustomObjects.GetNamespacedCustomObjectAsync<Runbook>(
                GroupVersion.Group, GroupVersion.Version, Namespace, Runbook.Plural, runbook, ct).ConfigureAwait(false);
            return [.. found.Spec.Steps.Select(s => s.Name)];
        }
        catch (HttpOperationException missing) when (missing.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public void Dispose() => Client.Dispose();
}
