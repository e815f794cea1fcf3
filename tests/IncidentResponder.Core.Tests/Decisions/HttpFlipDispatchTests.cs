using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using IncidentResponder.Core.Decisions;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Tests.Fixtures;

namespace IncidentResponder.Core.Tests.Decisions;

/// <summary>
/// An HTTP flag flip cannot be read back, so it is sent at most once: intent first (no effect), then "dispatched"
/// written with the effect, and a Pending record found with that mark is never sent again. The same for the flip-back.
/// </summary>
public sealed class HttpFlipDispatchTests
{
    private static readonly EffectivePolicy Policy = Guards.ShopPolicy with
    {
        Caps = ActionCaps.Default with { AllowedFlags = new HashSet<string> { "payment_service" } },
    };

    private static readonly RunbookAction Flip = new()
    {
        Type = ActionType.FeatureFlag,
        FeatureFlag = new FeatureFlagAction
        {
            Flag = "payment_service", Value = "false", Provider = FeatureFlagProviderType.Http, RevertOnResolve = true,
            Http = new HttpFlagProvider { Url = "https://admin.internal/feature-flags" },
        },
    };

    private static readonly RunbookSpec Runbook = new()
    {
        Title = "Disable the feature",
        Signals = [SignalType.OOMKilled],
        Steps = [new RunbookStep { Name = "act", Action = Flip }, Runbooks.Step("page", ActionType.Escalate)],
    };

    private static IncidentDecision Decide(IncidentStatus? status, DateTimeOffset now, bool healthy = false) =>
        IncidentDecider.Decide(Exhausted.Context(Runbook, Policy, status, pods: healthy ? Exhausted.HealthyPods() : null, now: now), now);

    [Fact]
    public void The_intent_is_written_alone_then_the_dispatch_mark_goes_with_the_request()
    {
        var intent = Decide(null, Clock.T0);
        Assert.Empty(intent.Effects);
        var pending = Assert.Single(intent.Status.Actions!);
        Assert.Equal(ActionPhase.Pending, pending.Phase);
        Assert.False(pending.Details!.ContainsKey(ActionRecords.DispatchedAtKey));

        var dispatch = Decide(intent.Status, Clock.At(1));
        var run = Assert.IsType<Effect.RunAction>(Assert.Single(dispatch.Effects));
        Assert.IsType<ActionChange.FlipFlag>(run.Change);
        var marked = Assert.Single(dispatch.Status.Actions!);
        Assert.Equal(ActionPhase.Pending, marked.Phase);
        Assert.True(marked.Details!.ContainsKey(ActionRecords.DispatchedAtKey));
    }

    [Fact]
    public void A_pending_flip_marked_dispatched_is_never_sent_again_and_verification_decides()
    {
        var dispatched = Decide(Decide(null, Clock.T0).Status, Clock.At(1)).Status;

        var restarted = Decide(dispatched, Clock.At(5));

        Assert.Empty(restarted.Effects);
        var record = Assert.Single(restarted.Status.Actions!);
        Assert.Equal(ActionPhase.Running, record.Phase);
        Assert.Equal("unconfirmed: answer lost in a restart", record.Details!["outcome"]);
        Assert.StartsWith("not sent again after a restart: the request to set feature flag payment_service (Http) to false was dispatched at", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_flip_back_is_dispatched_the_same_way()
    {
        var applied = IncidentStateMachine.ApplyAll(Decide(Decide(null, Clock.T0).Status, Clock.At(1)).Status,
            [new IncidentEvent.ActionApplied("act", 1, "PUT answered 200"), new IncidentEvent.VerificationPassed("act", 1, "healthy"),
                new IncidentEvent.Resolved("web healthy")], Clock.At(10));

        var intent = Decide(applied, Clock.At(11), healthy: true);
        Assert.Empty(intent.Effects);
        var revert = Assert.Single(intent.Status.Actions!, a => a.Step == "revert-act");
        Assert.Equal(ActionPhase.Pending, revert.Phase);

        var dispatch = Decide(intent.Status, Clock.At(12), healthy: true);
        var back = Assert.IsType<ActionChange.FlipFlag>(Assert.IsType<Effect.Revert>(Assert.Single(dispatch.Effects)).Change);
        Assert.Equal("true", back.ToValue);

        var restarted = Decide(dispatch.Status, Clock.At(13), healthy: true);
        Assert.Empty(restarted.Effects);
        Assert.Equal(ActionPhase.Running, Assert.Single(restarted.Status.Actions!, a => a.Step == "revert-act").Phase);
    }
}
