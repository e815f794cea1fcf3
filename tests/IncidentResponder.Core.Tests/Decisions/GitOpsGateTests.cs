using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Decisions;
using IncidentResponder.Core.Detection;
using IncidentResponder.Core.GitOps;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Revisions;
using IncidentResponder.Core.Tests.Fixtures;
using static IncidentResponder.Core.Tests.Fixtures.Cluster;

namespace IncidentResponder.Core.Tests.Decisions;

/// <summary>The decision before a change to a workload a GitOps tool applies: record the owner, then pause it, ignore it or hand back, as the policy says.</summary>
public sealed class GitOpsGateTests
{
    private static readonly GitOpsOwner Owner = new(GitOpsTool.ArgoCD, GitOpsOwner.Application, "argocd", "web", "annotation argocd.argoproj.io/tracking-id");
    private static readonly GitOpsSource Source = new("https://git.example.com/shop.git", "apps/web", "main", "abc123");

    private static JsonObject App(string automated = """{"prune":true,"selfHeal":true}""") =>
        JsonNode.Parse("""{"metadata":{"name":"web","namespace":"argocd"},"spec":{"syncPolicy":{"automated":""" + automated + "}}}")!.AsObject();

    private static IncidentContext Context(GitOpsObservation? gitops, GitOpsPolicy? policy = null, IncidentStatus? status = null)
    {
        var good = ReplicaSet(2, Clock.T0.AddDays(-3), replicas: 2, ready: 2);
        var bad = ReplicaSet(3, Clock.At(-60), replicas: 2, ready: 0);
        var observed = new DetectionInput(RollingOut(), [good, bad],
            [HealthyPod("good-1", 2), HealthyPod("good-2", 2), CrashLooping("bad-1", 3), CrashLooping("bad-2", 3)]);
        var detection = RolloutFailureDetector.Detect(observed, DetectionThresholds.Default with { HoldFor = TimeSpan.Zero }, HysteresisState.Empty, Clock.T0);
        var runbook = new RunbookSpec
        {
            Title = "Bad rollout",
            Signals = [SignalType.CrashLoop],
            Steps = [Runbooks.Step("rollback", ActionType.RolloutUndo, new StepCondition { RecentRollout = true }), Runbooks.Step("page", ActionType.Escalate)],
        };
        return new IncidentContext("inc-1", Namespace, [], status ?? IncidentStory.Through(1), runbook, Guards.ShopPolicy, observed, detection,
            new RevisionHistory(ValueList.Of(new RevisionRecord(2, Clock.T0.AddDays(-3), null, TimeSpan.FromDays(3)))), [], [],
            GitOps: gitops, GitOpsPolicy: policy);
    }

    private static IncidentDecision Decide(IncidentContext context) => IncidentDecider.Decide(context, Clock.At(1));

    [Fact]
    public void The_owner_is_paused_before_the_rollback_in_the_same_recorded_intent()
    {
        var decision = Decide(Context(new GitOpsObservation(Owner, App(), null, true, Source)));

        Assert.Collection(decision.Effects,
            e => Assert.Equal("""{"metadata":{"annotations":{"incidentresponder.dev/paused-by":"shop/inc-1"}},"spec":{"syncPolicy":{"automated":{"enabled":false}}}}""",
                Assert.IsType<Effect.PauseOwner>(e).PausePatch),
            e => Assert.IsType<Effect.RollBack>(e));
        var gitops = decision.Status.GitOps!;
        Assert.Equal((GitOpsPausePhase.Pausing, "argocd", "web", "https://git.example.com/shop.git"), (gitops.Pause!.Phase, gitops.Owner!.Namespace, gitops.Owner.Name, gitops.Owner.SourceUrl));
        Assert.Equal("""{"metadata":{"annotations":{"incidentresponder.dev/paused-by":null}},"spec":{"syncPolicy":{"automated":{"enabled":null}}}}""", gitops.Pause.ResumePatch);
        Assert.Equal(ActionPhase.Pending, Assert.Single(decision.Status.Actions!).Phase);
        Assert.Equal("app=registry.example/web:3.0", decision.Status.Actions![0].Details![MitigationChanges.FromImagesKey]);
    }

    [Fact]
    public void After_a_restart_the_recorded_pause_is_sent_again_and_a_second_decision_changes_nothing()
    {
        var first = Decide(Context(new GitOpsObservation(Owner, App(), null, true, Source)));
        // The owner now shows the pause (it landed before the crash): the recorded patch still goes, the shell checks the mark.
        var second = Decide(Context(new GitOpsObservation(Owner, App("""{"prune":true,"selfHeal":true,"enabled":false}"""), null, true, Source), status: first.Status));

        Assert.Equal(first.Status.GitOps!.Pause!.PausePatch, Assert.IsType<Effect.PauseOwner>(second.Effects[0]).PausePatch);
        Assert.Equal(JsonSerializer.Serialize(first.Status), JsonSerializer.Serialize(second.Status));
    }

    [Fact]
    public void An_owner_that_does_not_self_heal_needs_no_pause_and_the_rollback_goes_alone()
    {
        var decision = Decide(Context(new GitOpsObservation(Owner, App("""{"prune":true,"enabled":false}"""), null, true, Source)));

        Assert.IsType<Effect.RollBack>(Assert.Single(decision.Effects));
        Assert.Equal(GitOpsPausePhase.NotNeeded, decision.Status.GitOps!.Pause!.Phase);
        Assert.Contains("turned off already", decision.Status.GitOps.Pause.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Ignore_acts_without_a_pause_and_says_so()
    {
        var decision = Decide(Context(new GitOpsObservation(Owner, App(), null, true, Source), new GitOpsPolicy { OnOwned = GitOpsOwnedAction.Ignore }));

        Assert.IsType<Effect.RollBack>(Assert.Single(decision.Effects));
        Assert.Null(decision.Status.GitOps!.Pause);
        Assert.Contains(decision.Status.Timeline!, e => e.Message.Contains("acting without pausing", StringComparison.Ordinal));
    }

    [Fact]
    public void Hand_back_changes_nothing_and_tells_people_what_to_revert_in_git()
    {
        var decision = Decide(Context(new GitOpsObservation(Owner, App(), null, true, Source), new GitOpsPolicy { OnOwned = GitOpsOwnedAction.HandBack }));

        var notice = Assert.IsType<Effect.Notify>(Assert.Single(decision.Effects));
        Assert.Contains("revert the bad change in https://git.example.com/shop.git (path apps/web, branch main)", notice.Message, StringComparison.Ordinal);
        Assert.Equal(IncidentPhase.Escalated, decision.Status.Phase);
        Assert.Equal(ActionPhase.Skipped, Assert.Single(decision.Status.Actions!).Phase);
    }

    [Fact]
    public void An_owner_that_cannot_be_read_holds_the_action_with_the_reason()
    {
        var decision = Decide(Context(new GitOpsObservation(Owner, null, "the API server answered 403 Forbidden", false, null)));

        Assert.Empty(decision.Effects);
        var action = Assert.Single(decision.Status.Actions!);
        Assert.Equal(ActionPhase.Skipped, action.Phase);
        Assert.Contains("403 Forbidden", action.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_an_owner_nothing_changes()
    {
        var plain = Decide(Context(null));
        Assert.IsType<Effect.RollBack>(Assert.Single(plain.Effects));
        Assert.Null(plain.Status.GitOps);
    }
}
