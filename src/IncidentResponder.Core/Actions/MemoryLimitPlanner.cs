using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Quantities;
using IncidentResponder.Core.Time;

namespace IncidentResponder.Core.Actions;

/// <summary>A memory raise already made on the target (applied, whatever its verification said).</summary>
/// <param name="ThisIncident">Made by the incident being decided: it blocks another raise whatever the window.</param>
public sealed record PriorRaise(string Incident, string Step, DateTimeOffset At, bool ThisIncident);

/// <summary>
/// Raise a container's memory limit, decided. At most once per incident and per window on a target: when the OOM
/// kills go on after a raise, raising again is the remediation loop ("memory raised five times over") and the answer
/// is people, not a bigger number. The cap is min(policy maxMemory, maxMemoryFactor × the limit before the incident's
/// first raise). Because an incident raises at most once, that original is the limit found now, and no second raise
/// in the incident can compound past the cap.
/// </summary>
public static class MemoryLimitPlanner
{
    public const double DefaultFactor = 1.5;

    /// <param name="oomContainers">Containers of the current revision's pods killed for memory, in template order.</param>
    /// <param name="oomContinues">OOM kills are observed on the target now.</param>
    /// <param name="restartStorm">The target's pods show as a restart storm now.</param>
    public static ActionPlan Plan(
        RaiseMemoryLimitAction? settings,
        DeploymentObservation deployment,
        IReadOnlyList<string> oomContainers,
        IReadOnlyList<PriorRaise> priorRaises,
        bool oomContinues,
        ActionCaps caps,
        DateTimeOffset now,
        bool restartStorm = false)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(oomContainers);
        ArgumentNullException.ThrowIfNull(priorRaises);
        ArgumentNullException.ThrowIfNull(caps);
        var counting = priorRaises.Where(r => r.ThisIncident || now - r.At < caps.MemoryRaiseWindow).OrderByDescending(r => r.At).ToList();
        if (counting.FirstOrDefault() is { } last)
        {
            var when = $"step {last.Step} of incident {last.Incident} raised it {GoDuration.Format(now - last.At)} ago";

            // A container killed for memory again and again goes into CrashLoopBackOff; once its last kill is older
            // than the OOM lookback, the detector sees its rising restarts as a restart storm instead of OOM kills.
            // After this incident's own raise that storm is the same remediation loop, not a reason to skip on:
            // skipping would let the runbook try other changes on a workload whose raise did not help.
            var stormAfterOwnRaise = restartStorm && counting.Exists(r => r.ThisIncident);
            if (oomContinues || stormAfterOwnRaise)
            {
                var how = oomContinues ? string.Empty : "; its pods now restart in a storm";
                return new ActionPlan.Escalate($"OOM kills continue after the memory limit of {deployment.Kind} {deployment.Name} was raised ({when}){how}; " +
                    "raising it again would repeat a raise that did not help, so people take over");
            }

            return new ActionPlan.Skip($"memory is raised at most once per {GoDuration.Format(caps.MemoryRaiseWindow)} on a target; {when}");
        }

        if (deployment.Paused)
        {
            return new ActionPlan.Skip($"{deployment.Kind} {deployment.Name} is paused: a new memory limit would not roll out; resume it first");
        }

        if (deployment.Template is not { } template)
        {
            return new ActionPlan.Skip($"the pod template of {deployment.Kind} {deployment.Name} is not observed");
        }

        var name = settings?.Container
            ?? oomContainers.FirstOrDefault()
            ?? (template.Containers.Count == 1 ? template.Containers[0].Name : null);
        var container = template.Containers.FirstOrDefault(c => c.Name == name);
        if (container is null)
        {
            return new ActionPlan.Skip(name is null
                ? $"no container of {deployment.Kind} {deployment.Name} is known to be OOM-killed and it has {template.Containers.Count}; name one in raiseMemoryLimit.container"
                : $"{deployment.Kind} {deployment.Name} has no container {name}");
        }

        if (Quantity(container.Limits) is not { } current)
        {
            return new ActionPlan.Skip($"container {container.Name} has no memory limit to raise; its OOM kills come from node memory pressure, which more replicas or nodes address");
        }

        var original = current;
        var factorCap = new MemoryQuantity((long)Math.Min(long.MaxValue, Math.Floor((decimal)original.Bytes * (decimal)caps.MaxMemoryFactor)), original.Binary);
        var cap = caps.MaxMemory is { } max ? MemoryQuantity.Min(factorCap, max with { Binary = original.Binary }) : factorCap;
        var wanted = current.Times(settings?.Factor ?? DefaultFactor);
        var target = wanted > cap ? cap : wanted;
        if (target <= current)
        {
            return new ActionPlan.Refuse("max-memory",
                $"refused by max-memory: the memory limit of container {container.Name} is {current}, already at the cap of {cap} " +
                $"(min of {(caps.MaxMemory is { } m ? $"maxMemory {m} and " : string.Empty)}{caps.MaxMemoryFactor}× the original {original})");
        }

        // Kubernetes requires request ≤ limit; a raise never needs the request to move unless it was above the new limit.
        var request = Quantity(container.Requests);
        var toRequest = request is { } r2 && r2 > target ? target : request;
        var change = new ActionChange.SetMemoryLimit(deployment.Name, container.Name, current, target, request, toRequest, original, cap,
            deployment.Kind, settings?.RevertOnResolve == true);
        var capped = target < wanted ? $"; capped from {wanted}" : string.Empty;
        return new ActionPlan.Apply(change, change.Describe() + capped);
    }

    private static MemoryQuantity? Quantity(IEnumerable<ResourceQuantity> quantities) =>
        quantities.FirstOrDefault(q => q.Resource == "memory") is { } entry && MemoryQuantity.TryParse(entry.Quantity, out var value) ? value : null;
}
