using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Quantities;

namespace IncidentResponder.Core.Actions;

/// <summary>
/// Setting a raised memory limit back once its incident is resolved and stable (raiseMemoryLimit.revertOnResolve):
/// only while the container's limit is still the one the raise set, so a limit somebody changed since is left alone.
/// The revert is the raise in reverse, a conditional write from the raised value to the original.
/// </summary>
internal static class MemoryRevert
{
    public static RevertPlan Plan(string step, ActionRecord source, ActionChange.SetMemoryLimit raise, DeploymentObservation workload, string stableFor)
    {
        var container = workload.Template?.Containers.FirstOrDefault(c => c.Name == raise.Container);
        var limit = container?.Limits.FirstOrDefault(q => q.Resource == "memory") is { } entry && MemoryQuantity.TryParse(entry.Quantity, out var value) ? value : (MemoryQuantity?)null;
        if (limit is not { } now || now.Bytes != raise.ToLimit.Bytes)
        {
            return new RevertPlan.Skip(step, source,
                $"not setting the memory limit back: container {raise.Container} of {raise.Kind} {raise.Deployment} has {limit?.ToString() ?? "no limit"}, " +
                $"not the {raise.ToLimit} step {source.Step} set; someone changed it since");
        }

        var back = raise with
        {
            FromLimit = raise.ToLimit, ToLimit = raise.OriginalLimit, FromRequest = raise.ToRequest, ToRequest = raise.FromRequest, RevertOnResolve = false,
        };
        return new RevertPlan.Apply(step, source, back, $"{stableFor}: {back.Describe()} (undoing step {source.Step})");
    }
}
