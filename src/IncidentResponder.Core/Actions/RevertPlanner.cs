using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Time;

namespace IncidentResponder.Core.Actions;

/// <summary>What to undo after resolution, if anything, and when.</summary>
public abstract record RevertPlan(string Reason)
{
    /// <summary>Nothing to undo now; <paramref name="DueAt"/> says when to look again, if something is waiting for its window.</summary>
    public sealed record None(string Reason, DateTimeOffset? DueAt = null) : RevertPlan(Reason);

    /// <summary>Undo <paramref name="Source"/> with <paramref name="Change"/>, recorded as step <paramref name="Step"/>.</summary>
    public sealed record Apply(string Step, ActionRecord Source, ActionChange Change, string Reason) : RevertPlan(Reason);

    /// <summary>Do not undo <paramref name="Source"/> (someone changed the value since, or the original is unknown); record why.</summary>
    public sealed record Skip(string Step, ActionRecord Source, string Reason) : RevertPlan(Reason);
}

/// <summary>
/// Scale-back and flag flip-back after an incident is resolved and has stayed resolved for a stability window. Only
/// the latest applied change of each kind is undone (it holds the incident's original), only when its step asked
/// for it (scaleBackOnResolve, revertOnResolve), only once (the revert is an action record of its own), and only
/// while the value is still the one this incident set: an operator never overwrites a later change by someone else.
/// </summary>
public static class RevertPlanner
{
    /// <summary>Prefix of a revert's step name: "revert-scale-up" undoes step "scale-up".</summary>
    public const string StepPrefix = "revert-";

    /// <summary>Details key of a revert record naming the step it undoes.</summary>
    public const string RevertOfKey = "revertOf";

    public static string StepName(string step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var name = StepPrefix + step;
        return name.Length <= 63 ? name : name[..63].TrimEnd('-');
    }

    public static bool IsRevert(ActionRecord action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return action.Details?.ContainsKey(RevertOfKey) == true;
    }

    public static RevertPlan Next(
        IncidentStatus status, RunbookSpec runbook, DeploymentObservation deployment, ActionObservations? observations, ActionCaps caps, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(runbook);
        ArgumentNullException.ThrowIfNull(caps);
        if (!status.Phase.IsClosed() || status.ResolvedAt is not { } resolved)
        {
            return new RevertPlan.None("reverts wait for the incident to be resolved");
        }

        var resolvedAt = new DateTimeOffset(DateTime.SpecifyKind(resolved, DateTimeKind.Utc));
        var actions = status.Actions ?? [];
        DateTimeOffset? due = null;
        foreach (var source in Latest(actions))
        {
            var step = runbook.Steps.Find(s => s.Name == source.Step);
            if (ActionChangeCodec.Read(source.Details, step?.Action) is not { } change || !Wanted(change)
                || actions.Exists(a => a.Step == StepName(source.Step) && a.Attempt == source.Attempt))
            {
                continue;
            }

            // A memory limit goes back after the same stability window as a scale-back: both give back capacity.
            var after = change is ActionChange.FlipFlag ? caps.FlagRevertAfter : caps.ScaleBackAfter;
            if (now - resolvedAt < after)
            {
                due = due is { } d && d < resolvedAt + after ? d : resolvedAt + after;
                continue;
            }

            return Plan(source, change, deployment, observations, now - resolvedAt);
        }

        return due is { } at
            ? new RevertPlan.None($"a revert waits for the incident to stay resolved until {at.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}", at)
            : new RevertPlan.None("nothing to revert");
    }

    /// <summary>The latest applied Scale, the latest applied memory raise, and the latest applied flip of each flag.</summary>
    private static IEnumerable<ActionRecord> Latest(List<ActionRecord> actions) =>
        actions
            .Where(a => a.Type is ActionType.Scale or ActionType.FeatureFlag or ActionType.RaiseMemoryLimit && !IsRevert(a)
                && a.Phase is ActionPhase.Running or ActionPhase.Succeeded or ActionPhase.Failed)
            .GroupBy(a => a.Type switch
            {
                ActionType.Scale => "scale",
                ActionType.RaiseMemoryLimit => "memory",
                _ => "flag/" + a.Details?.GetValueOrDefault("flag"),
            })
            .Select(g => g.OrderBy(a => a.StartedAt).Last())
            .OrderBy(a => a.StartedAt);

    private static bool Wanted(ActionChange change) => change switch
    {
        ActionChange.ScaleDeployment scale => scale.ScaleBack,
        ActionChange.ScaleHpa hpa => hpa.ScaleBack,
        ActionChange.FlipFlag flag => flag.RevertOnResolve,
        ActionChange.SetMemoryLimit memory => memory.RevertOnResolve,
        _ => false,
    };

    private static RevertPlan Plan(ActionRecord source, ActionChange change, DeploymentObservation deployment, ActionObservations? observations, TimeSpan stable)
    {
        var step = StepName(source.Step);
        var stableFor = $"resolved and stable for {GoDuration.Format(stable)}";
        switch (change)
        {
            case ActionChange.ScaleDeployment scale when deployment.DesiredReplicas != scale.ToReplicas:
                return new RevertPlan.Skip(step, source,
                    $"not scaling back: Deployment {scale.Deployment} runs {deployment.DesiredReplicas} replicas, not the {scale.ToReplicas} step {source.Step} set; someone changed it since");
            case ActionChange.ScaleDeployment scale:
                var back = new ActionChange.ScaleDeployment(scale.Deployment, scale.ToReplicas, scale.OriginalReplicas, scale.OriginalReplicas, ScaleBack: false);
                return new RevertPlan.Apply(step, source, back, $"{stableFor}: {back.Describe()} (undoing step {source.Step})");
            case ActionChange.ScaleHpa hpa when observations?.Hpa is not { } observed || observed.Name != hpa.Hpa:
                return new RevertPlan.Skip(step, source, $"not scaling back: HPA {hpa.Hpa} is no longer observed on Deployment {deployment.Name}");
            case ActionChange.ScaleHpa hpa when observations.Hpa.MinReplicas != hpa.ToMinReplicas || observations.Hpa.MaxReplicas != hpa.ToMaxReplicas:
                return new RevertPlan.Skip(step, source,
                    $"not scaling back: HPA {hpa.Hpa} has min {observations.Hpa.MinReplicas}/max {observations.Hpa.MaxReplicas}, not the " +
                    $"{hpa.ToMinReplicas}/{hpa.ToMaxReplicas} step {source.Step} set; someone changed it since");
            case ActionChange.ScaleHpa hpa:
                var hpaBack = new ActionChange.ScaleHpa(hpa.Hpa, hpa.ToMinReplicas, hpa.OriginalMinReplicas, hpa.ToMaxReplicas, hpa.OriginalMaxReplicas,
                    hpa.OriginalMinReplicas, hpa.OriginalMaxReplicas, ScaleBack: false);
                return new RevertPlan.Apply(step, source, hpaBack,
                    $"{stableFor}: set HPA {hpa.Hpa} back to min {hpa.OriginalMinReplicas}/max {hpa.OriginalMaxReplicas} (undoing step {source.Step})");
            case ActionChange.FlipFlag { RevertTo: null } flag:
                return new RevertPlan.Skip(step, source, $"not flipping back: the value of flag {flag.Flag} before step {source.Step} is unknown; a person restores it");
            case ActionChange.FlipFlag flag when observations?.Flag(flag.Flag, flag.Provider)?.Value is { } now && now != flag.ToValue:
                return new RevertPlan.Skip(step, source, $"not flipping back: flag {flag.Flag} is {now}, not the {flag.ToValue} step {source.Step} set; someone changed it since");
            case ActionChange.FlipFlag { RevertTo: { } restore } flag:
                var flip = new ActionChange.FlipFlag(flag.Settings, flag.Flag, flag.Provider, flag.ToValue, restore, RevertTo: null, RevertOnResolve: false);
                return new RevertPlan.Apply(step, source, flip, $"{stableFor}: {flip.Describe()} (undoing step {source.Step})");
            case ActionChange.SetMemoryLimit memory:
                return MemoryRevert.Plan(step, source, memory, deployment, stableFor);
            default:
                return new RevertPlan.None($"step {source.Step} ({change.GetType().Name}) is not reverted");
        }
    }
}
