using System.Net;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Commands;
using IncidentResponder.Core.People;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IncidentResponder.Incidents;

/// <summary>
/// Sends a person's command as the merge patch <see cref="IncidentSpecPatch"/> builds. The patch carries the
/// resourceVersion it was built from: when someone changed the incident meanwhile (another person, the operator) the
/// API server answers 409, and the patch is built again from a fresh read, a bounded number of times, so nobody's
/// change is overwritten with a stale copy.
/// </summary>
internal static class IncidentPatcher
{
    /// <summary>Tries before giving up: enough for a busy incident, few enough to answer a person in seconds.</summary>
    public const int Attempts = 5;

    // check: refuses the command for the incident as read (one line), before anything is built; null: none.
    public static async Task<Incident> ApplyAsync(
        PluginSession session, string name, PersonCommand command, string by, TimeProvider time,
        Func<Incident, Task<string?>>? check, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (incident, resourceVersion) = await session.IncidentAsync(name, ct).ConfigureAwait(false);
            if (check is not null && await check(incident).ConfigureAwait(false) is { } refusal)
            {
                throw new UserError(refusal);
            }

            var result = IncidentSpecPatch.Build(command, incident.Spec, resourceVersion, by, time.GetUtcNow().UtcDateTime);
            if (result.Body is null)
            {
                throw new UserError($"incident {name}: {result.Refusal}");
            }

            try
            {
                return await session.Client.CustomObjects.PatchNamespacedCustomObjectAsync<Incident>(
                    new V1Patch(result.Body.ToJsonString(), V1Patch.PatchType.MergePatch),
                    GroupVersion.Group, GroupVersion.Version, session.Namespace, Incident.Plural, name, cancellationToken: ct).ConfigureAwait(false);
            }
            catch (HttpOperationException conflict) when (conflict.Response.StatusCode == HttpStatusCode.Conflict && attempt < Attempts)
            {
                // Changed since the read: read again and rebuild.
            }
            catch (HttpOperationException rejected) when (rejected.Response.StatusCode is HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest or HttpStatusCode.Forbidden)
            {
                throw new UserError($"incident {name}: the API server refused the change: {StatusMessage(rejected)}", rejected);
            }
        }
    }

    /// <summary>The Status message the API server sent (it names the field), else the HTTP reason.</summary>
    public static string StatusMessage(HttpOperationException error)
    {
        try
        {
            var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
            if (status?.Message is { Length: > 0 } message)
            {
                return CommandLineInvocation.OneLine(message);
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not a Status object: fall through to the HTTP reason.
        }

        return $"HTTP {(int)error.Response.StatusCode} {error.Response.ReasonPhrase}";
    }
}
