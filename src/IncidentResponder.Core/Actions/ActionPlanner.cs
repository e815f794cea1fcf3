using System.Globalization;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Exhaustion;
using IncidentResponder.Core.Guardrails;

namespace IncidentResponder.Core.Actions;

/// <summary>
/// Plans a step of a new action type from what is known about one incident: gathers what each planner needs (the HPA, flag
/// values, OOM-killed containers, earlier raises and scales) and asks it. Runs only after the shared guardrails let
/// the step act (or dry-run), so the caps here come on top of cooldowns, budgets, the breaker and the mode.
/// </summary>
public static class ActionPlanner
{
    public static ActionPlan Plan(ActionPlanningInput context, RunbookStep step, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(step);
        var deployment = context.Observed.Deployment;
        var caps = context.Caps;
        var observations = context.Actions ?? ActionObservations.None;
        return step.Action.Type switch
        {
            ActionType.Scale => PlanScale(context, step, observations),
            ActionType.RaiseMemoryLimit => MemoryLimitPlanner.Plan(step.Action.RaiseMemoryLimit, deployment, OomKilledContainers.Of(context.Observed),
                PriorRaises(context), OomContinues(context), caps, now, StormContinues(context)),
            ActionType.FeatureFlag => FeatureFlagPlanner.Plan(step.Action.FeatureFlag,
                step.Action.FeatureFlag is { } flag ? observations.Flag(flag.Flag, flag.Provider) : null, caps),
            ActionType.RestartRollout => RestartRolloutPlanner.Plan(deployment, now),
            _ => throw new ArgumentOutOfRangeException(nameof(step), step.Action.Type, "not an action this planner decides"),
        };
    }

    /// <summary>Raises this incident applied (whatever their verification said) and, within the window, other incidents' raises of the target.</summary>
    public static IReadOnlyList<PriorRaise> PriorRaises(ActionPlanningInput context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var own = Applied(context.IncidentActions, ActionType.RaiseMemoryLimit)
            .Select(a => new PriorRaise(context.IncidentName, a.Step, Utc(a.StartedAt), true));
        var others = context.NamespaceActions
            .Where(a => a.Target == context.Observed.Deployment.Name && a.Incident != context.IncidentName && a.Type == ActionType.RaiseMemoryLimit && ActionHistory.Counts(a))
            .Select(a => new PriorRaise(a.Incident, a.Step, a.StartedAt!.Value, false));
        return [.. own.Concat(others)];
    }

    /// <summary>OOM kills on the target now: a confirmed or pending OOMKilled signal of the current detection.</summary>
    public static bool OomContinues(ActionPlanningInput context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Detection.Confirmed.Concat(context.Detection.Pending).Any(s => s.Key.Type == SignalType.OOMKilled);
    }

    /// <summary>A restart storm on the target now: a confirmed or pending RestartStorm signal of the current detection.</summary>
    public static bool StormContinues(ActionPlanningInput context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Detection.Confirmed.Concat(context.Detection.Pending).Any(s => s.Key.Type == SignalType.RestartStorm);
    }

    private static ActionPlan PlanScale(ActionPlanningInput context, RunbookStep step, ActionObservations observations)
    {
        var earlier = Applied(context.IncidentActions, ActionType.Scale).Select(a => a.Details).OfType<Dictionary<string, string>>().ToList();
        var hpa = observations.Hpa;
        var originalReplicas = FirstInt(earlier, hpa is null ? "originalReplicas" : "originalMinReplicas");
        var originalMax = hpa is null ? null : FirstInt(earlier, "originalMaxReplicas");
        return ScalePlanner.Plan(step.Action.Scale, context.Observed.Deployment, hpa, context.Caps, originalReplicas, originalMax);
    }

    /// <summary>Actions that reached the cluster: Running (verifying), Succeeded or Failed.</summary>
    internal static IEnumerable<ActionRecord> Applied(IEnumerable<ActionRecord>? actions, ActionType type) =>
        (actions ?? []).Where(a => a.Type == type && a.Phase is ActionPhase.Running or ActionPhase.Succeeded or ActionPhase.Failed);

    private static int? FirstInt(IEnumerable<Dictionary<string, string>> details, string key) =>
        details.Select(d => d.TryGetValue(key, out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : (int?)null)
            .FirstOrDefault(v => v is not null);

    private static DateTimeOffset Utc(DateTime? time) =>
        time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : DateTimeOffset.MinValue;
}
