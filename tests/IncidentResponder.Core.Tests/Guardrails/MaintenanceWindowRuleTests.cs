using System.Globalization;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Guardrails;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Tests.Fixtures;
using static IncidentResponder.Core.Tests.Fixtures.Guards;

namespace IncidentResponder.Core.Tests.Guardrails;

public sealed class MaintenanceWindowRuleTests
{
    /// <summary>A one-off window open from an hour before T0 to an hour after it.</summary>
    private static readonly MaintenanceWindows AroundT0 = MaintenanceWindows.From([
        new Api.V1Alpha1.MaintenanceWindow { Name = "db-upgrade", Start = Clock.T0.AddHours(-1).ToString("O", CultureInfo.InvariantCulture), End = Clock.T0.AddHours(1).ToString("O", CultureInfo.InvariantCulture) },
    ]);

    private static EffectivePolicy InWindow(RemediationMode mode) => ShopPolicy with { Modes = new ModeTable(mode), Windows = AroundT0 };

    [Fact]
    public void An_open_window_turns_an_automatic_step_into_a_dry_run_that_names_the_window_and_its_end()
    {
        var decision = GuardrailEvaluator.Decide(Input(policy: InWindow(RemediationMode.Automatic)));

        Assert.Equal((GuardrailVerdict.DryRun, "maintenance-window"), (decision.Verdict, decision.Rule));
        Assert.StartsWith("maintenance window db-upgrade (until 2026-01-01T13:00:00Z) held step rollback: dry run", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Outside_the_window_an_automatic_step_acts()
    {
        var closed = ShopPolicy with
        {
            Windows = MaintenanceWindows.From([
                new Api.V1Alpha1.MaintenanceWindow { Name = "later", Start = Clock.T0.AddHours(1).ToString("O", CultureInfo.InvariantCulture), End = Clock.T0.AddHours(2).ToString("O", CultureInfo.InvariantCulture) },
            ]),
        };

        Assert.Equal(GuardrailVerdict.Act, GuardrailEvaluator.Decide(Input(policy: closed)).Verdict);
    }

    [Fact]
    public void A_step_a_person_approved_acts_during_the_window()
    {
        var decision = GuardrailEvaluator.Decide(Input(policy: InWindow(RemediationMode.RequireApproval), approvals: ["rollback"]));
        Assert.Equal(GuardrailVerdict.Act, decision.Verdict);
    }

    [Fact]
    public void A_step_awaiting_approval_still_waits_for_the_person_during_the_window()
    {
        var decision = GuardrailEvaluator.Decide(Input(policy: InWindow(RemediationMode.RequireApproval)));
        Assert.Equal((GuardrailVerdict.AwaitApproval, "mode"), (decision.Verdict, decision.Rule));
    }

    [Fact]
    public void Dry_run_mode_stays_the_modes_dry_run_so_the_runbook_walks_on_as_it_always_did()
    {
        var decision = GuardrailEvaluator.Decide(Input(policy: InWindow(RemediationMode.DryRun)));
        Assert.Equal((GuardrailVerdict.DryRun, "mode"), (decision.Verdict, decision.Rule));
    }

    [Fact]
    public void Steps_that_change_nothing_are_not_held()
    {
        Assert.Equal(GuardrailVerdict.Act, GuardrailEvaluator.Decide(Input(ActionType.Note, policy: InWindow(RemediationMode.Automatic))).Verdict);
    }

    [Fact]
    public void A_window_held_step_is_not_refused_by_a_cooldown_because_it_changes_nothing()
    {
        var decision = GuardrailEvaluator.Decide(Input(policy: InWindow(RemediationMode.Automatic), history: [Past(1)]));
        Assert.Equal("maintenance-window", decision.Rule);
    }
}
