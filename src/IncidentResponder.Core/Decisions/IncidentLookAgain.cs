using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Time;

namespace IncidentResponder.Core.Decisions;

/// <summary>
/// When an incident must be decided again after a decision has been applied: open incidents are polled (verification
/// windows, cooldowns and approvals end without an API event); a resolved one only until its scale-back or flip-back
/// is done, waking exactly when its stability window ends.
/// </summary>
public static class IncidentLookAgain
{
    public static NextLook After(IncidentStatus? status, IncidentContext context, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(context);
        switch (status?.Phase)
        {
            case IncidentPhase.Escalated or IncidentPhase.Acknowledged:
                return NextLook.Never;
            case IncidentPhase.Resolved or IncidentPhase.Cancelled:
                if (InFlight(status))
                {
                    return NextLook.Polling;
                }

                var plan = RevertPlanner.Next(status, context.Runbook, context.Observed.Deployment, context.Actions, context.Policy.ActionCaps, now);
                return plan switch
                {
                    RevertPlan.None { DueAt: null } => NextLook.Never,
                    // Already due (or past): the shell's next poll picks it up.
                    RevertPlan.None { DueAt: { } due } => due > now ? NextLook.When(due) : NextLook.Polling,
                    _ => NextLook.Polling,
                };
            default:
                return WhileHeld(status, context, now);
        }
    }

    /// <summary>
    /// A step a maintenance window holds is decided again the moment the window closes, not a poll later; open
    /// incidents are polled all the same.
    /// </summary>
    private static NextLook WhileHeld(IncidentStatus? status, IncidentContext context, DateTimeOffset now) =>
        status is not null && ActionRecords.CurrentEpisode(status) is { Count: > 0 } actions && ActionRecords.HeldByWindow(actions[^1])
            && context.Policy.Maintenance.OpenAt(now) is { } open
            ? new NextLook(open.Until, Poll: true)
            : NextLook.Polling;

    /// <summary>
    /// A resolved incident still has work: a revert in flight (its intent or its verification), or a change it made
    /// that its runbook may undo (scale back, flip back) and has not yet. Without it a resolved incident is closed.
    /// </summary>
    public static bool RevertsPending(IncidentStatus? status) =>
        InFlight(status)
        || status?.Actions?.Any(a => a.Type is ActionType.Scale or ActionType.FeatureFlag or ActionType.RaiseMemoryLimit && !RevertPlanner.IsRevert(a)
            && a.Phase is ActionPhase.Succeeded or ActionPhase.Running or ActionPhase.Failed
            && !status.Actions.Exists(r => r.Step == RevertPlanner.StepName(a.Step) && r.Attempt == a.Attempt)) == true;

    private static bool InFlight(IncidentStatus? status) =>
        status?.Actions?.Any(a => a.Phase is ActionPhase.Pending or ActionPhase.Running) == true;
}
