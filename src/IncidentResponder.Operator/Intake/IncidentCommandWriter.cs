using System.Net;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.People;
using IncidentResponder.Runtime.Client;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IncidentResponder.Operator.Intake;

/// <summary>What became of a person's command.</summary>
/// <param name="Applied">The spec now carries it.</param>
/// <param name="Message">What to tell the person.</param>
public sealed record CommandOutcome(bool Applied, string Message);

/// <summary>
/// Writes a person's command into an Incident's spec, as <c>kubectl incident</c> does: the merge patch of
/// <see cref="IncidentSpecPatch"/>, conditional on the resourceVersion read. When someone changed the incident
/// meanwhile (409), it reads it again and builds the patch again, a bounded number of times.
/// </summary>
public sealed class IncidentCommandWriter(IKubernetes client, TimeProvider time)
{
    private const int MaxAttempts = 5;

    public async Task<CommandOutcome> ApplyAsync(string ns, string name, PersonCommand command, string by, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var incident = await ApiReads.GetOrNullAsync(() => client.CustomObjects.GetNamespacedCustomObjectAsync<Incident>(
                GroupVersion.Group, GroupVersion.Version, ns, Incident.Plural, name, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (incident is null)
            {
                return new CommandOutcome(false, $"incident {ns}/{name} no longer exists");
            }

            var patch = IncidentSpecPatch.Build(command, incident.Spec, incident.Metadata.ResourceVersion, by, time.GetUtcNow().UtcDateTime);
            if (patch.Body is null)
            {
                return new CommandOutcome(false, $"incident {ns}/{name}: {patch.Refusal}");
            }

            try
            {
                await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(patch.Body.ToJsonString(), V1Patch.PatchType.MergePatch),
                    GroupVersion.Group, GroupVersion.Version, ns, Incident.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false);
                return new CommandOutcome(true, $"incident {ns}/{name}: {Describe(command)} by {by}");
            }
            catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.Conflict && attempt < MaxAttempts)
            {
                // Changed since it was read: build the patch again from what it is now.
            }
        }
    }

    private static string Describe(PersonCommand command) => command switch
    {
        PersonCommand.Acknowledge => "acknowledged",
        PersonCommand.Approve approve => $"step {approve.Step} approved",
        PersonCommand.Resolve => "resolved",
        _ => command.GetType().Name.ToLowerInvariant(),
    };
}
