using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Tests.Fixtures;

namespace IncidentResponder.Core.Tests.Decisions;

/// <summary>
/// The operator is killed before every write and every cluster change of a whole rollback incident; after each kill
/// it restarts from what the API holds. Every run must roll back exactly once and end with a complete record.
/// </summary>
public sealed class KillAtEveryStepTests
{
    private static readonly EffectivePolicy Automatic = Guards.ShopPolicy with { Detection = DetectionThresholds.Default with { HoldFor = TimeSpan.FromSeconds(10) } };

    private static RunbookSpec Runbook() => new()
    {
        Title = "Bad rollout",
        Signals = [SignalType.CrashLoop],
        Steps =
        [
            Runbooks.Step("rollback", ActionType.RolloutUndo, new StepCondition { RecentRollout = true }),
            Runbooks.Step("page", ActionType.Escalate),
        ],
    };

    private static FakeShell Run(int killAt)
    {
        var shell = new FakeShell(Runbook(), Automatic, Clock.T0) { KillAt = killAt };
        shell.RunUntilResolved(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(10));
        return shell;
    }

    [Fact]
    public void Clean_run_rolls_back_once_and_resolves_with_a_complete_record()
    {
        var shell = Run(killAt: 0);
        Assert.Equal(1, shell.Rollbacks);
        AssertCompleteRecord(shell);
        Assert.InRange(shell.Operations, 5, 20);
    }

    [Fact]
    public void Killed_before_each_operation_still_rolls_back_exactly_once()
    {
        var operations = Run(killAt: 0).Operations;
        for (var killAt = 1; killAt <= operations; killAt++)
        {
            var shell = Run(killAt);
            Assert.True(shell.Rollbacks == 1, $"killed before operation {killAt}: {shell.Rollbacks} rollbacks");
            AssertCompleteRecord(shell);
        }
    }

    private static void AssertCompleteRecord(FakeShell shell)
    {
        var status = shell.Status!;
        Assert.Equal(IncidentPhase.Resolved, status.Phase);
        var action = Assert.Single(status.Actions!);
        Assert.Equal((ActionType.RolloutUndo, ActionPhase.Succeeded, "2"), (action.Type, action.Phase, action.Details!["toRevision"]));
        Assert.NotNull(status.DetectedAt);
        Assert.NotNull(status.MitigatedAt);
        Assert.NotNull(status.ResolvedAt);
        Assert.NotNull(status.TimeToDetect);
        Assert.NotNull(status.TimeToMitigate);
        Assert.True(status.Signals!.All(s => s.Cleared == true));
        var types = status.Timeline!.Select(e => e.Type).ToList();
        Assert.Equal(TimelineEntryType.Detected, types[0]);
        Assert.Contains(TimelineEntryType.Decision, types);
        Assert.Contains(TimelineEntryType.Action, types);
        Assert.Contains(TimelineEntryType.Verification, types);
        Assert.Equal(["container app: image registry.example/web:2.0 → registry.example/web:3.0"], status.Change!.Differences);
    }
}
