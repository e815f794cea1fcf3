using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Tests.Fixtures;

namespace IncidentResponder.Core.Tests.Actions;

public sealed class RevertPlannerTests
{
    private static readonly FeatureFlagAction Flag = new() { Flag = "payment_service", Value = "false", Provider = FeatureFlagProviderType.Http, RevertOnResolve = true };

    private static readonly RunbookSpec Runbook = new()
    {
        Title = "t",
        Signals = [SignalType.OOMKilled],
        Steps =
        [
            new RunbookStep { Name = "scale", Action = new RunbookAction { Type = ActionType.Scale, Scale = new ScaleAction { Delta = 2 } } },
            new RunbookStep { Name = "flag", Action = new RunbookAction { Type = ActionType.FeatureFlag, FeatureFlag = Flag } },
        ],
    };

    private static IncidentStatus Resolved(params (string Step, ActionType Type, ActionChange Change, double At)[] actions)
    {
        var status = Exhausted.Opened();
        foreach (var (step, type, change, at) in actions)
        {
            var attempt = (status.Actions?.Count(a => a.Step == step) ?? 0) + 1;
            status = IncidentStateMachine.ApplyAll(status,
                [new IncidentEvent.IntentRecorded(step, type, attempt, "x", change.ToDetails()), new IncidentEvent.ActionApplied(step, attempt, "applied"),
                    new IncidentEvent.VerificationFailed(step, attempt, "not yet")], Clock.At(at));
        }

        return IncidentStateMachine.Apply(status, new IncidentEvent.Resolved("healthy"), Clock.At(100));
    }

    private static RevertPlan Next(IncidentStatus status, ActionObservations? observations = null, double at = 100 + 600, int replicas = 6) =>
        RevertPlanner.Next(status, Runbook, Exhausted.Web(replicas: replicas), observations, ActionCaps.Default, Clock.At(at));

    private static ActionObservations Hpa(int min, int max) => new(new HpaObservation("web", "web", min, max, min), ValueList<FlagObservation>.Empty);

    [Fact]
    public void A_memory_raise_that_asks_for_it_is_set_back_to_the_original_only_while_the_limit_is_still_the_raised_one()
    {
        var raise = new ActionChange.SetMemoryLimit("web", "app", Core.Quantities.MemoryQuantity.Parse("256Mi"), Core.Quantities.MemoryQuantity.Parse("384Mi"), null, null,
            Core.Quantities.MemoryQuantity.Parse("256Mi"), Core.Quantities.MemoryQuantity.Parse("512Mi"), RevertOnResolve: true);
        var status = Resolved(("raise", ActionType.RaiseMemoryLimit, raise, 0));

        var back = Assert.IsType<ActionChange.SetMemoryLimit>(Assert.IsType<RevertPlan.Apply>(
            RevertPlanner.Next(status, Runbook, Exhausted.Web("384Mi"), null, ActionCaps.Default, Clock.At(700))).Change);
        Assert.Equal(("384Mi", "256Mi", false), (back.FromLimit.ToString(), back.ToLimit.ToString(), back.RevertOnResolve));
        Assert.Contains("has 512Mi, not the 384Mi step raise set",
            Assert.IsType<RevertPlan.Skip>(RevertPlanner.Next(status, Runbook, Exhausted.Web("512Mi"), null, ActionCaps.Default, Clock.At(700))).Reason, StringComparison.Ordinal);
        Assert.IsType<RevertPlan.None>(RevertPlanner.Next(Resolved(("raise", ActionType.RaiseMemoryLimit, raise with { RevertOnResolve = false }, 0)),
            Runbook, Exhausted.Web("384Mi"), null, ActionCaps.Default, Clock.At(700)));
    }

    [Fact]
    public void An_hpa_goes_back_to_its_original_min_and_max()
    {
        var status = Resolved(("scale", ActionType.Scale, new ActionChange.ScaleHpa("web", 2, 6, 4, 6, 2, 4, true), 0));
        var back = Assert.IsType<ActionChange.ScaleHpa>(Assert.IsType<RevertPlan.Apply>(Next(status, Hpa(6, 6))).Change);
        Assert.Equal((6, 2, 6, 4), (back.FromMinReplicas, back.ToMinReplicas, back.FromMaxReplicas, back.ToMaxReplicas));
        Assert.Contains("min 7/max 7, not the 6/6", Assert.IsType<RevertPlan.Skip>(Next(status, Hpa(7, 7))).Reason, StringComparison.Ordinal);
        Assert.Contains("no longer observed", Assert.IsType<RevertPlan.Skip>(Next(status)).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_latest_scale_is_undone_and_it_returns_to_the_incidents_original()
    {
        var status = Resolved(
            ("scale", ActionType.Scale, new ActionChange.ScaleDeployment("web", 2, 4, 2, true), 0),
            ("scale", ActionType.Scale, new ActionChange.ScaleDeployment("web", 4, 6, 2, true), 1));
        var apply = Assert.IsType<RevertPlan.Apply>(Next(status));
        var back = Assert.IsType<ActionChange.ScaleDeployment>(apply.Change);
        Assert.Equal((6, 2, 2), (back.FromReplicas, back.ToReplicas, apply.Source.Attempt));
    }

    [Fact]
    public void A_flag_whose_value_before_is_unknown_is_left_to_people()
    {
        var status = Resolved(("flag", ActionType.FeatureFlag, new ActionChange.FlipFlag(Flag, "payment_service", FeatureFlagProviderType.Http, null, "false", null, true), 0));
        Assert.Contains("is unknown; a person restores it", Assert.IsType<RevertPlan.Skip>(Next(status, at: 100)).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_is_reverted_that_did_not_ask_for_it_or_before_resolution()
    {
        var noScaleBack = Resolved(("scale", ActionType.Scale, new ActionChange.ScaleDeployment("web", 4, 6, 4, false), 0));
        Assert.IsType<RevertPlan.None>(Next(noScaleBack));

        var open = IncidentStateMachine.ApplyAll(Exhausted.Opened(),
            [new IncidentEvent.IntentRecorded("scale", ActionType.Scale, 1, "x", new ActionChange.ScaleDeployment("web", 4, 6, 4, true).ToDetails())], Clock.T0);
        Assert.IsType<RevertPlan.None>(Next(open));
    }

    [Fact]
    public void The_due_time_is_reported_so_the_shell_can_requeue()
    {
        var status = Resolved(("scale", ActionType.Scale, new ActionChange.ScaleDeployment("web", 4, 6, 4, true), 0));
        Assert.Equal(Clock.At(100).AddMinutes(10), Assert.IsType<RevertPlan.None>(Next(status, at: 160)).DueAt);
    }

    [Theory]
    [InlineData("scale-up", "revert-scale-up")]
    [InlineData("a-step-name-that-is-exactly-long-enough-to-overflow-the-label-", "revert-a-step-name-that-is-exactly-long-enough-to-overflow-the")]
    public void Revert_step_names_stay_dns_labels(string step, string expected)
    {
        Assert.Equal(expected, RevertPlanner.StepName(step));
        Assert.True(RevertPlanner.StepName(step).Length <= 63);
    }
}
