using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Guardrails;
using IncidentResponder.Core.Policy;
using static IncidentResponder.Core.Tests.Fixtures.Guards;

namespace IncidentResponder.Core.Tests.Guardrails;

public sealed class ModeRuleTests
{
    private static readonly EffectivePolicy Mixed = ShopPolicy with
    {
        Modes = new ModeTable(RemediationMode.DryRun, Sev1: RemediationMode.Automatic, Sev2: RemediationMode.RequireApproval),
    };

    [Fact]
    public void Automatic_passes() => Assert.Null(ModeRule.Check(Input(policy: Mixed, severity: Severity.Sev1)));

    [Fact]
    public void Dry_run_for_severities_without_their_own_mode()
    {
        var decision = ModeRule.Check(Input(policy: Mixed, severity: Severity.Sev4))!;
        Assert.Equal(GuardrailVerdict.DryRun, decision.Verdict);
        Assert.Equal("dry run: policy default runs SEV-4 in DryRun mode; step rollback is computed, not applied", decision.Reason);
    }

    [Fact]
    public void Require_approval_waits_for_the_step_name()
    {
        var decision = ModeRule.Check(Input(policy: Mixed, severity: Severity.Sev2, approvals: ["scale-up"]))!;
        Assert.Equal(GuardrailVerdict.AwaitApproval, decision.Verdict);
        Assert.Equal("awaiting approval: SEV-2 requires approval; add \"rollback\" to spec.approvals of incident inc-1", decision.Reason);
    }

    [Fact]
    public void Require_approval_passes_once_approved() =>
        Assert.Null(ModeRule.Check(Input(policy: Mixed, severity: Severity.Sev2, approvals: ["rollback"])));

    [Fact]
    public void The_api_default_is_dry_run() =>
        Assert.Equal(RemediationMode.DryRun, ModeTable.From(null).For(Severity.Sev1));
}
