using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using IncidentResponder.Core.Quantities;
using IncidentResponder.Operator.Observation;
using k8s.Autorest;
using k8s.Models;

namespace IncidentResponder.Operator.Actions;

/// <summary>
/// Performs a planned memory raise on the workload (Deployment, StatefulSet or DaemonSet) as the API server has it now: done already by this very step
/// (its marker and the new limit) is recorded, a limit that is no longer the planned-from value is left alone, and
/// otherwise the conditional patch is sent (server-side dry run in DryRun mode).
/// </summary>
public sealed class MemoryLimitRaise(WorkloadApi workloads)
{
    public async Task<ActionOutcome> ExecuteAsync(string kind, string ns, ActionChange.SetMemoryLimit change, string actionAnnotation, bool dryRun, CancellationToken cancellationToken)
    {
        var deployment = await workloads.ReadAsync(kind, ns, change.Deployment, cancellationToken);
        if (deployment is null)
        {
            return new ActionOutcome.Skipped($"skipped: {kind} {change.Deployment} no longer exists");
        }

        var containers = deployment.Template.Spec.Containers;
        var index = containers.ToList().FindIndex(c => c.Name == change.Container);
        if (index < 0)
        {
            return new ActionOutcome.Skipped($"skipped: {kind} {change.Deployment} has no container {change.Container} any more");
        }

        var details = change.ToDetails();
        var liveLimit = Memory(containers[index].Resources?.Limits);
        if (liveLimit is { } applied && Bytes(applied) == change.ToLimit.Bytes
            && Projections.Value(deployment.Metadata.Annotations, WellKnown.ActionAnnotation) == actionAnnotation && !dryRun)
        {
            return new ActionOutcome.Applied($"{change.Describe()} (found applied)", details);
        }

        if (liveLimit is null || Bytes(liveLimit) != change.FromLimit.Bytes)
        {
            return new ActionOutcome.Skipped(
                $"skipped: the memory limit of container {change.Container} is {liveLimit ?? "unset"} now, not the {change.FromLimit} this step planned from; somebody else changed it");
        }

        var patch = new V1Patch(
            MemoryLimitPatch.Build(index, change, liveLimit, Memory(containers[index].Resources?.Requests), deployment.Metadata.Annotations is not null, actionAnnotation),
            V1Patch.PatchType.JsonPatch);
        LiveWorkload result;
        try
        {
            result = await workloads.PatchAsync(kind, ns, change.Deployment, patch, dryRun, cancellationToken);
        }
        catch (HttpOperationException error) when (LiveReads.IsFailedTest(error))
        {
            return new ActionOutcome.Skipped($"skipped: the memory limit of container {change.Container} changed while the raise was being sent (the patch's test failed)");
        }

        if (dryRun)
        {
            return ActionOutcome.ServerDryRun(change.Describe(), $"the limit of {change.Container} would become " +
                (Memory(result.Template.Spec.Containers[index].Resources?.Limits) ?? "unset"), details);
        }

        details["resourceVersion"] = result.Metadata.ResourceVersion ?? string.Empty;
        return new ActionOutcome.Applied(change.Describe(), details);
    }

    /// <summary>The memory quantity as the API server returned it.</summary>
    private static string? Memory(IDictionary<string, ResourceQuantity>? quantities) =>
        quantities is not null && quantities.TryGetValue("memory", out var quantity) ? quantity.ToString() : null;

    private static long Bytes(string quantity) => MemoryQuantity.TryParse(quantity, out var value) ? value.Bytes : -1;
}
