using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Guardrails;
using IncidentResponder.Core.Tests.Fixtures;
using static IncidentResponder.Core.Tests.Fixtures.Guards;

namespace IncidentResponder.Core.Tests.Guardrails;

public sealed class ScopeRulesTests
{
    [Fact]
    public void Target_in_the_policy_namespace_passes() => Assert.Null(ScopeRules.OutsideNamespace(Input()));

    [Fact]
    public void Target_outside_the_policy_namespace_is_refused()
    {
        var input = Input() with { Target = Cluster.Deployment() with { Namespace = "payments" } };
        var decision = ScopeRules.OutsideNamespace(input)!;
        Assert.Equal(GuardrailVerdict.Refuse, decision.Verdict);
        Assert.Equal("refused: payments/web is outside namespace shop of policy default", decision.Reason);
    }

    [Fact]
    public void Incident_outside_the_policy_namespace_is_refused() =>
        Assert.NotNull(ScopeRules.OutsideNamespace(Input() with { IncidentNamespace = "payments" }));

    [Fact]
    public void Paused_policy_refuses()
    {
        Assert.Null(ScopeRules.PolicyPaused(Input()));
        var decision = ScopeRules.PolicyPaused(Input(policy: ShopPolicy with { Paused = true }))!;
        Assert.Equal("refused: policy default is paused (spec.paused: true); set it to false to allow actions", decision.Reason);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("false", false)]
    [InlineData("", false)]
    public void Opt_out_annotation_refuses_when_true(string value, bool refused)
    {
        var annotations = new Dictionary<string, string> { [WellKnown.PausedAnnotation] = value };
        var input = Input() with { Target = Cluster.Deployment(annotations: annotations) };
        var decision = ScopeRules.OptedOut(input);
        Assert.Equal(refused, decision is not null);
        if (decision is not null)
        {
            Assert.Equal("refused: Deployment web carries incidentresponder.dev/paused: \"true\"; remove it to allow actions", decision.Reason);
        }
    }

    [Theory]
    [InlineData(ActionType.RolloutUndo, true)]
    [InlineData(ActionType.RestartRollout, true)]
    [InlineData(ActionType.Scale, false)]
    public void Paused_deployment_refuses_rollback_and_restart_as_kubectl_does(ActionType action, bool refused)
    {
        var input = Input(action) with { Target = Cluster.Deployment(paused: true) };
        var decision = ScopeRules.DeploymentPaused(input);
        Assert.Equal(refused, decision is not null);
        Assert.Null(ScopeRules.DeploymentPaused(Input(action)));
        if (decision is not null)
        {
            Assert.Contains("resume it first", decision.Reason, StringComparison.Ordinal);
        }
    }
}
