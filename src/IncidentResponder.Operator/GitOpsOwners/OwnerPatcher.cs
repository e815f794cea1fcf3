using System.Text.Json.Nodes;
using IncidentResponder.Core.GitOps;
using k8s.Autorest;

namespace IncidentResponder.Operator.GitOpsOwners;

/// <summary>What pausing or resuming an owner came to; <see cref="Done"/> false means the change did not happen.</summary>
public sealed record OwnerPatchOutcome(bool Done, string Message);

/// <summary>
/// Sends a recorded pause or resume to the owner, at most once: the owner's paused-by annotation, written in the same
/// patch, says whether an earlier attempt (before a restart) already landed.
/// </summary>
public sealed class OwnerPatcher(GitOpsReads reads)
{
    public async Task<OwnerPatchOutcome> PauseAsync(GitOpsOwner owner, string patch, string pausedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        try
        {
            var current = await reads.GetAsync(GitOpsKind.Of(owner), owner.Namespace, owner.Name, cancellationToken);
            if (current is null)
            {
                return new(false, $"{owner} no longer exists");
            }

            if (PausedBy(current) == pausedBy)
            {
                return new(true, $"{owner} found paused by this incident");
            }

            await reads.MergePatchAsync(GitOpsKind.Of(owner), owner.Namespace, owner.Name, patch, dryRun: false, cancellationToken);
            return new(true, $"paused {owner} so it does not undo the mitigation");
        }
        catch (HttpOperationException refused)
        {
            return new(false, $"pausing {owner} failed: the API server answered {(int)refused.Response.StatusCode} {refused.Response.ReasonPhrase}");
        }
    }

    public async Task<OwnerPatchOutcome> ResumeAsync(GitOpsOwner owner, string patch, string pausedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        try
        {
            var current = await reads.GetAsync(GitOpsKind.Of(owner), owner.Namespace, owner.Name, cancellationToken);
            if (current is null)
            {
                return new(true, $"{owner} no longer exists: nothing to resume");
            }

            if (PausedBy(current) != pausedBy)
            {
                return new(true, $"{owner} found resumed (it no longer carries this incident's pause)");
            }

            await reads.MergePatchAsync(GitOpsKind.Of(owner), owner.Namespace, owner.Name, patch, dryRun: false, cancellationToken);
            return new(true, $"resumed {owner}: restored what the pause changed");
        }
        catch (HttpOperationException refused)
        {
            return new(false, $"resuming {owner} failed: the API server answered {(int)refused.Response.StatusCode} {refused.Response.ReasonPhrase}");
        }
    }

    private static string? PausedBy(JsonObject owner) =>
        owner["metadata"]?["annotations"]?[OwnerPause.PausedByAnnotation] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
