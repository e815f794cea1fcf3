using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Planning;

namespace IncidentResponder.Core.Tests.Planning;

public sealed class StepConditionMatcherTests
{
    private static readonly PlanningContext CrashAfterDeploy = new([SignalType.CrashLoop], RecentRollout: true, Severity.Sev2);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_stated_part_must_hold(string because, StepCondition? when, bool expected) =>
        Assert.True(expected == StepConditionMatcher.Matches(when, CrashAfterDeploy), because);

    public static TheoryData<string, StepCondition?, bool> Cases() => new()
    {
        { "no when: always", null, true },
        { "empty when: always", new StepCondition(), true },
        { "listed signal", new StepCondition { Signals = [SignalType.OOMKilled, SignalType.CrashLoop] }, true },
        { "other signal", new StepCondition { Signals = [SignalType.OOMKilled] }, false },
        { "empty signal list: any", new StepCondition { Signals = [] }, true },
        { "recent rollout wanted", new StepCondition { RecentRollout = true }, true },
        { "no recent rollout wanted", new StepCondition { RecentRollout = false }, false },
        { "SEV-2 is at least SEV-3", new StepCondition { MinSeverity = Severity.Sev3 }, true },
        { "SEV-2 is at least SEV-2", new StepCondition { MinSeverity = Severity.Sev2 }, true },
        { "SEV-2 is not SEV-1", new StepCondition { MinSeverity = Severity.Sev1 }, false },
        { "all parts", new StepCondition { Signals = [SignalType.CrashLoop], RecentRollout = true, MinSeverity = Severity.Sev2 }, true },
        { "one part fails", new StepCondition { Signals = [SignalType.CrashLoop], RecentRollout = false, MinSeverity = Severity.Sev2 }, false },
    };
}
