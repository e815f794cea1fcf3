using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Core.Tests.Fixtures;

/// <summary>The playbook's decision tree as a runbook, and action records to walk it with.</summary>
public static class Runbooks
{
    public static RunbookStep Step(string name, ActionType type, StepCondition? when = null, StepFailurePolicy? onFailure = null) =>
        new() { Name = name, Action = new RunbookAction { Type = type }, When = when, OnFailure = onFailure };

    public static RunbookSpec DecisionTree() => new()
    {
        Title = "Bad rollout and exhaustion",
        Signals = [SignalType.CrashLoop, SignalType.OOMKilled],
        Steps =
        [
            Step("announce", ActionType.Note, new StepCondition { MinSeverity = Severity.Sev2 }),
            Step("rollback", ActionType.RolloutUndo, new StepCondition { RecentRollout = true }),
            Step("retry-rollback", ActionType.RolloutUndo, new StepCondition { RecentRollout = true, Signals = [SignalType.RolloutStuck] }),
            Step("scale-up", ActionType.Scale, new StepCondition { RecentRollout = false, Signals = [SignalType.OOMKilled] },
                new StepFailurePolicy { Action = FailureAction.Escalate }),
            Step("raise-memory", ActionType.RaiseMemoryLimit, new StepCondition { Signals = [SignalType.OOMKilled] },
                new StepFailurePolicy { Action = FailureAction.GoTo, Step = "scale-up" }),
            Step("page", ActionType.Escalate),
        ],
    };

    public static ActionRecord Action(string step, ActionType type, ActionPhase phase, int attempt = 1, DateTimeOffset? startedAt = null) =>
        new() { Step = step, Type = type, Phase = phase, Attempt = attempt, StartedAt = (startedAt ?? Clock.T0).UtcDateTime };
}
