using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Decisions;
using IncidentResponder.Core.GitOps;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Tests.Fixtures;

namespace IncidentResponder.Core.Tests.Decisions;

/// <summary>After a verified rollback of a GitOps-owned target: one write-back, retried with backoff, and a resume when git holds the fix.</summary>
public sealed class GitOpsFollowUpTests
{
    private static readonly GitOpsSource Source = new("https://git.example.com/shop.git", "apps/web", "main", "main@sha1:0123456789abcdef0123");
    private static readonly GitOpsPolicy Direct = new() { WriteBack = new GitWriteBackSettings { Mode = GitWriteBackMode.Direct } };

    /// <summary>An incident whose rollback of web:3 to web:2 (sidecar unchanged) was verified, with its owner paused.</summary>
    private static IncidentStatus Verified()
    {
        var images = new Dictionary<string, string> { [MitigationChanges.FromImagesKey] = "app=web:3, proxy=envoy:1", [MitigationChanges.ImagesKey] = "app=web:2, proxy=envoy:1" };
        IncidentEvent[] story =
        [
            IncidentStory.Opened(),
            new IncidentEvent.OwnerRecorded(new GitOpsOwnerRecord { Tool = "ArgoCD", Kind = "Application", Namespace = "argocd", Name = "web", TargetRevision = "main" }, []),
            new IncidentEvent.IntentRecorded("rollback", ActionType.RolloutUndo, 1, "roll back to revision 2", images),
            new IncidentEvent.OwnerPauseDecided(new GitOpsPauseRecord { Phase = GitOpsPausePhase.Pausing, PausePatch = "{pause}", ResumePatch = "{resume}" }),
            new IncidentEvent.OwnerPaused("paused"),
            IncidentStory.Applied(),
            IncidentStory.Passed(),
        ];
        return IncidentStateMachine.ApplyAll(new IncidentStatus(), story, Clock.T0);
    }

    private static GitOpsFollowUpDecision Decide(IncidentStatus status, GitOpsPolicy? policy = null, bool? holds = false, bool resume = false, double at = 10) =>
        GitOpsFollowUp.Decide(new GitOpsFollowUpContext("inc-1", "shop", "web", status, policy, resume, Source, holds), Clock.At(at));

    [Fact]
    public void A_verified_rollback_is_written_back_once_with_only_the_images_that_changed()
    {
        var decision = Decide(Verified(), Direct);

        var writeBack = Assert.IsType<GitOpsEffect.WriteBack>(Assert.Single(decision.Effects));
        Assert.Equal(GitWriteBackMode.Direct, writeBack.Mode);
        Assert.Equal(new WriteBackChange("Deployment", "web", "app", WriteBackChange.Image, "web:3", "web:2"), Assert.Single(writeBack.Changes));
        Assert.Equal((GitOpsWriteBackPhase.Pending, 1), (decision.Status.GitOps!.WriteBack!.Phase, decision.Status.GitOps.WriteBack.Attempts));

        // Decided again before the outcome is known (a restart): the same effect, no second decision.
        var again = Decide(decision.Status, Direct);
        Assert.IsType<GitOpsEffect.WriteBack>(Assert.Single(again.Effects));
        Assert.Equal(1, again.Status.GitOps!.WriteBack!.Attempts);

        var pushed = IncidentStateMachine.Apply(again.Status, new IncidentEvent.WriteBackPushed("main", "abc", null, "pushed"), Clock.At(11));
        Assert.DoesNotContain(Decide(pushed, Direct).Effects, e => e is GitOpsEffect.WriteBack);
    }

    [Fact]
    public void A_failed_write_back_is_tried_again_after_a_growing_backoff_then_left_to_people()
    {
        var status = Decide(Verified(), Direct).Status;
        var seconds = 10.0;
        for (var attempt = 1; attempt < GitOpsFollowUp.MaxWriteBackAttempts; attempt++)
        {
            status = IncidentStateMachine.Apply(status, new IncidentEvent.WriteBackFailed("unreachable"), Clock.At(seconds));
            var waiting = Decide(status, Direct, at: seconds + 1);
            Assert.Empty(waiting.Effects);
            var due = waiting.LookAgain.At!.Value;
            Assert.Equal(TimeSpan.FromSeconds(30 * Math.Pow(2, attempt - 1)), due - Clock.At(seconds));
            seconds = (due - Clock.T0).TotalSeconds;
            var retried = Decide(status, Direct, at: seconds);
            Assert.IsType<GitOpsEffect.WriteBack>(Assert.Single(retried.Effects));
            status = retried.Status;
        }

        status = IncidentStateMachine.Apply(status, new IncidentEvent.WriteBackFailed("unreachable"), Clock.At(seconds));
        Assert.Empty(Decide(status, Direct, at: seconds + 86_400).Effects);
    }

    [Fact]
    public void The_owner_resumes_when_its_revision_holds_the_fix_and_stays_paused_saying_why_until_then()
    {
        var waiting = Decide(Verified(), holds: false);
        Assert.Empty(waiting.Effects);
        Assert.True(waiting.LookAgain.Poll);
        Assert.Contains("does not hold the fix yet", waiting.Status.GitOps!.Pause!.Message, StringComparison.Ordinal);
        Assert.Contains("write-back is off", waiting.Status.GitOps.Pause.Message, StringComparison.Ordinal);
        Assert.Contains(waiting.Status.Conditions!, c => c.Type == Conditions.GitOpsPaused && c.Status == "True" && c.Message!.Contains("0123456789ab", StringComparison.Ordinal));

        var resumed = Decide(waiting.Status, holds: true);
        Assert.Equal("{resume}", Assert.IsType<GitOpsEffect.Resume>(Assert.Single(resumed.Effects)).ResumePatch);
        Assert.Equal(GitOpsPausePhase.Resuming, resumed.Status.GitOps!.Pause!.Phase);
        Assert.Contains("holds the fix (image web:2)", resumed.Status.GitOps.Pause.Message, StringComparison.Ordinal);

        var done = IncidentStateMachine.Apply(resumed.Status, new IncidentEvent.OwnerResumed("resumed"), Clock.At(12));
        Assert.Contains(done.Conditions!, c => c.Type == Conditions.GitOpsPaused && c.Status == "False");
        Assert.Empty(Decide(done, holds: true).Effects);
    }

    [Fact]
    public void A_person_or_the_policy_resume_after_can_resume_while_git_still_holds_the_bad_version()
    {
        Assert.Contains("spec.gitops.resume", Decide(Verified(), resume: true).Status.GitOps!.Pause!.Message, StringComparison.Ordinal);

        var policy = new GitOpsPolicy { ResumeAfter = "1h" };
        var early = Decide(Verified(), policy, at: 1800);
        Assert.Empty(early.Effects);
        Assert.Equal(Clock.T0.AddHours(1), early.LookAgain.At);
        var late = Decide(Verified(), policy, at: 3600);
        Assert.IsType<GitOpsEffect.Resume>(Assert.Single(late.Effects));
        Assert.Contains("resumeAfter (1h) ran out", late.Status.GitOps!.Pause!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pause_still_recorded_as_pausing_after_its_step_was_applied_is_confirmed_once_by_the_follow_up()
    {
        IncidentEvent[] story =
        [
            IncidentStory.Opened(),
            new IncidentEvent.OwnerRecorded(new GitOpsOwnerRecord { Tool = "ArgoCD", Kind = "Application", Namespace = "argocd", Name = "web" }, []),
            IncidentStory.Intent(),
            new IncidentEvent.OwnerPauseDecided(new GitOpsPauseRecord { Phase = GitOpsPausePhase.Pausing, PausePatch = "{pause}", ResumePatch = "{resume}" }),
        ];
        var pending = IncidentStateMachine.ApplyAll(new IncidentStatus(), story, Clock.T0);
        Assert.Empty(Decide(pending).Effects); // the step is still Pending: the incident's reconcile sends the pause with it

        var applied = IncidentStateMachine.Apply(pending, IncidentStory.Applied(), Clock.At(2));
        Assert.Equal("{pause}", Assert.IsType<GitOpsEffect.Pause>(Assert.Single(Decide(applied).Effects)).PausePatch);
        var confirmed = IncidentStateMachine.Apply(applied, new IncidentEvent.OwnerPaused("found paused by this incident"), Clock.At(3));
        Assert.DoesNotContain(Decide(confirmed).Effects, e => e is GitOpsEffect.Pause);

        // A step skipped because its pause failed changed nothing: no pause is sent for it later.
        var skipped = IncidentStateMachine.Apply(pending, new IncidentEvent.ActionSkipped("rollback", 1, "not acting: pausing failed (403)"), Clock.At(2));
        Assert.Empty(Decide(skipped).Effects);
    }
}
