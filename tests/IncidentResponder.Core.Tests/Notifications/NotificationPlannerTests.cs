using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Notifications;
using static IncidentResponder.Core.Tests.Notifications.NotificationStory;

namespace IncidentResponder.Core.Tests.Notifications;

/// <summary>Chat targets (Slack, Webhook): an update on open, on each action phase, on mitigation and resolution.</summary>
public sealed class NotificationPlannerTests
{
    [Fact]
    public void An_incident_not_yet_opened_sends_nothing()
    {
        var story = new NotificationStory();
        Assert.IsType<NotificationPlan.Idle>(story.Plan(0));
    }

    [Fact]
    public void Opening_sends_the_declared_update_and_records_it()
    {
        var story = new NotificationStory(Severity.Sev2).Open(0);

        var send = Assert.IsType<NotificationPlan.Send>(story.Plan(0.5));

        Assert.Equal(UpdateKind.Declared, send.Update.Kind);
        Assert.Equal("INCIDENT DECLARED — SEV-2", send.Update.Headline);
        Assert.Equal(["Incident opened"], send.Update.Changes);
        Assert.Equal(Minute(0.5).AddMinutes(30), send.Update.NextUpdateAt);
        Assert.Equal("oncall", send.Delivered.Target);
        Assert.Equal(NotificationTargetType.Slack, send.Delivered.Type);
        Assert.Equal(1, send.Delivered.UpdatesSent);
        Assert.Equal(Minute(0.5).UtcDateTime, send.Delivered.LastSentAt);
        Assert.Equal("opened", send.Delivered.LastMoment);
        Assert.Equal(Minute(0).UtcDateTime, send.Delivered.LastMomentAt);
        Assert.Equal(Minute(30.5).UtcDateTime, send.Delivered.NextUpdateAt);
        Assert.Equal(0, send.Delivered.ConsecutiveFailures);
        Assert.Null(send.Delivered.PagerDutyState);
    }

    [Fact]
    public void After_an_update_nothing_is_due_until_the_cadence_has_passed()
    {
        var story = new NotificationStory(Severity.Sev2).Open(0);
        story.Deliver(0);

        var wait = Assert.IsType<NotificationPlan.Wait>(story.Plan(29.9));
        Assert.Equal(Minute(30), wait.At);
    }

    [Theory]
    [InlineData(Severity.Sev1, 15)]
    [InlineData(Severity.Sev2, 30)]
    [InlineData(Severity.Sev3, 60)]
    public void A_periodic_update_follows_the_seeds_cadence_per_severity(Severity severity, double minutes)
    {
        var story = new NotificationStory(severity).Open(0);
        story.Deliver(0);

        Assert.IsType<NotificationPlan.Wait>(story.Plan(minutes - 0.01));
        var periodic = story.Deliver(minutes);

        Assert.Equal(UpdateKind.Periodic, periodic.Kind);
        Assert.Empty(periodic.Changes);
        Assert.Equal(Minute(minutes * 2), periodic.NextUpdateAt);
        Assert.Equal(2, story.Record!.UpdatesSent);
        Assert.Equal(Minute(minutes * 2), Assert.IsType<NotificationPlan.Wait>(story.Plan(minutes + 1)).At);
    }

    [Fact]
    public void A_sev4_incident_gets_no_periodic_update()
    {
        var story = new NotificationStory(Severity.Sev4).Open(0);
        var declared = story.Deliver(0);

        Assert.Null(declared.NextUpdateAt);
        Assert.IsType<NotificationPlan.Idle>(story.Plan(24 * 60));
    }

    [Fact]
    public void The_policy_cadence_overrides_the_default()
    {
        var story = new NotificationStory(Severity.Sev2).Open(0);
        story.Cadence = new NotificationCadence { Sev2 = "5m" };
        story.Deliver(0);

        Assert.Equal(Minute(5), Assert.IsType<NotificationPlan.Wait>(story.Plan(1)).At);
    }

    [Fact]
    public void The_periodic_clock_counts_from_the_last_update_sent_whatever_it_was()
    {
        var story = new NotificationStory(Severity.Sev1).Open(0);
        story.Deliver(0);
        story.Action("rollback", ActionPhase.Running, 10, "rolled back to revision 3");
        story.Deliver(10);

        Assert.Equal(Minute(25), Assert.IsType<NotificationPlan.Wait>(story.Plan(15)).At);
    }

    [Fact]
    public void Each_action_phase_is_an_update_and_a_pending_intent_is_not()
    {
        var story = new NotificationStory().Open(0);
        story.Deliver(0);

        story.Action("rollback", ActionPhase.Pending, 1);
        Assert.IsType<NotificationPlan.Wait>(story.Plan(1));

        story.Action("rollback", ActionPhase.Running, 1.1, "rolled back to revision 3");
        var running = story.Deliver(1.2);
        Assert.Equal(UpdateKind.Changed, running.Kind);
        Assert.Equal(["rollback (RolloutUndo) applied, verifying: rolled back to revision 3"], running.Changes);
        Assert.Equal("action/rollback/1/Running", story.Record!.LastMoment);

        story.Action("rollback", ActionPhase.Succeeded, 2, "verified");
        var succeeded = story.Deliver(2);
        Assert.Equal(["rollback (RolloutUndo) succeeded: verified"], succeeded.Changes);
        Assert.Equal("action/rollback/1/Succeeded", story.Record!.LastMoment);
    }

    [Fact]
    public void Moments_that_piled_up_between_two_looks_go_out_as_one_update_in_order()
    {
        var story = new NotificationStory().Open(0);
        story.Deliver(0);
        story.Action("rollback", ActionPhase.Succeeded, 1, "verified").Mitigate(2);

        var update = story.Deliver(3);

        Assert.Equal(UpdateKind.Changed, update.Kind);
        Assert.Equal(["rollback (RolloutUndo) succeeded: verified", "Mitigated: rollback verified: Available, new pods ready"], update.Changes);
        Assert.Equal("mitigated", story.Record!.LastMoment);
    }

    [Fact]
    public void An_update_already_sent_is_not_sent_again()
    {
        var story = new NotificationStory().Open(0);
        story.Deliver(0);
        story.Action("rollback", ActionPhase.Running, 1);
        story.Deliver(1);

        Assert.IsType<NotificationPlan.Wait>(story.Plan(1.5));
    }

    [Fact]
    public void Resolution_is_the_last_update_and_no_periodic_one_follows()
    {
        var story = new NotificationStory(Severity.Sev1).Open(0);
        story.Deliver(0);
        story.Action("rollback", ActionPhase.Succeeded, 1).Mitigate(1.5).Resolve(4);

        var resolved = story.Deliver(4);

        Assert.Equal(UpdateKind.Resolved, resolved.Kind);
        Assert.Equal("INCIDENT RESOLVED — SEV-1", resolved.Headline);
        Assert.Null(resolved.NextUpdateAt);
        Assert.Null(story.Record!.NextUpdateAt);
        Assert.IsType<NotificationPlan.Idle>(story.Plan(60));
    }

    [Fact]
    public void Mitigated_incidents_stay_open_and_keep_the_cadence()
    {
        var story = new NotificationStory(Severity.Sev1).Open(0);
        story.Deliver(0);
        story.Mitigate(1);
        story.Deliver(1);

        Assert.Equal(UpdateKind.Periodic, story.Deliver(16).Kind);
    }

    [Fact]
    public void Escalation_names_the_contacts_and_the_periodic_updates_go_on_while_people_hold_it()
    {
        var story = new NotificationStory(Severity.Sev2).Open(0);
        story.Deliver(0);
        story.Action("rollback", ActionPhase.Failed, 3, "verification timed out").Escalate(3.5);

        var escalated = story.Deliver(4);

        Assert.Equal(UpdateKind.Escalated, escalated.Kind);
        Assert.Equal("@backend-oncall, @backend-lead", escalated.Acting);
        Assert.Equal("Escalated to people: no automatic mitigation helped", escalated.Changes[^1]);
        // SEV-2: every 30 minutes, until a person closes it.
        Assert.IsType<NotificationPlan.Wait>(story.Plan(20));
        Assert.Equal(UpdateKind.Periodic, story.Deliver(34).Kind);
    }

    [Fact]
    public void While_the_incident_holds_the_gitops_owner_paused_every_update_says_so_and_what_it_waits_for()
    {
        var story = new NotificationStory().Open(0);
        story.Status.GitOps = new IncidentGitOpsStatus
        {
            Owner = new GitOpsOwnerRecord { Tool = "ArgoCD", Kind = "Application", Namespace = "argocd", Name = "api" },
            Pause = new GitOpsPauseRecord { Phase = GitOpsPausePhase.Paused, Message = "stays paused: git at 0123456789ab does not hold the fix yet (merge branch incident-responder/x)" },
        };

        var update = story.Deliver(0);

        Assert.EndsWith("; ArgoCD Application argocd/api is paused by this incident and stays paused: git at 0123456789ab does not hold the fix yet (merge branch incident-responder/x)",
            update.Acting, StringComparison.Ordinal);
        story.Status.GitOps.Pause.Phase = GitOpsPausePhase.Resumed;
        Assert.DoesNotContain("paused", IncidentUpdateBuilder.Acting(IncidentPhase.Mitigating, story.Spec, story.Status, []) + IncidentUpdateBuilder.GitOpsHold(story.Status), StringComparison.Ordinal);
    }

    [Fact]
    public void A_reopened_incident_is_announced_and_its_clock_restarts()
    {
        var story = new NotificationStory().Open(0);
        story.Deliver(0);
        story.Resolve(5);
        story.Deliver(5);
        story.Reopen(8);

        var reopened = story.Deliver(8);

        Assert.Equal(UpdateKind.Changed, reopened.Kind);
        Assert.Equal(["Reopened: ImagePull seen again within the reopen window"], reopened.Changes);
        Assert.Equal(Minute(38), reopened.NextUpdateAt);
    }

    [Fact]
    public void A_second_mitigation_after_a_reopen_is_a_new_moment()
    {
        var story = new NotificationStory().Open(0);
        story.Deliver(0);
        story.Mitigate(1).Resolve(2);
        story.Deliver(2);
        story.Reopen(3).Mitigate(4);

        Assert.Equal("Mitigated: rollback verified: Available, new pods ready", story.Deliver(4).Changes[^1]);
    }

    [Theory]
    [InlineData(Severity.Sev1, Severity.Sev2, true)]
    [InlineData(Severity.Sev2, Severity.Sev2, true)]
    [InlineData(Severity.Sev3, Severity.Sev2, false)]
    [InlineData(Severity.Sev4, Severity.Sev1, false)]
    public void A_targets_min_severity_admits_that_severity_and_worse(Severity incident, Severity minimum, bool sent)
    {
        var story = new NotificationStory(incident, minSeverity: minimum).Open(0);
        Assert.Equal(sent, story.Plan(0) is NotificationPlan.Send);
    }

    [Fact]
    public void A_target_that_heard_of_an_incident_hears_it_to_the_end_even_after_a_downgrade()
    {
        var story = new NotificationStory(Severity.Sev1, minSeverity: Severity.Sev1).Open(0);
        story.Deliver(0);
        story.Status.Severity = Severity.Sev3;
        story.Resolve(5);

        Assert.Equal(UpdateKind.Resolved, story.Deliver(5).Kind);
    }

    [Fact]
    public void An_incident_resolved_before_a_target_heard_of_it_is_not_announced_there()
    {
        var story = new NotificationStory().Open(0).Resolve(1);
        Assert.IsType<NotificationPlan.Idle>(story.Plan(2));
    }

    [Fact]
    public void An_escalated_incident_a_target_never_heard_of_is_declared_there()
    {
        var story = new NotificationStory().Open(0).Escalate(1);
        var update = story.Deliver(2);
        Assert.Equal(UpdateKind.Declared, update.Kind);
        Assert.NotNull(update.NextUpdateAt); // people hold it, and the channel keeps hearing so until it is closed
    }

    [Fact]
    public void A_record_of_another_target_type_starts_over()
    {
        var story = new NotificationStory().Open(0);
        story.Deliver(0);
        story.Record!.Type = NotificationTargetType.Webhook;

        Assert.Equal(UpdateKind.Declared, story.Deliver(1).Kind);
        Assert.Equal(1, story.Record.UpdatesSent);
    }

    [Fact]
    public void The_update_fills_the_template_from_the_record()
    {
        var story = new NotificationStory(Severity.Sev2).Open(0);
        story.Status.Change = new RevisionChange { FailingRevision = 4, GoodRevision = 3 };

        var update = story.Deliver(0);

        Assert.Equal(Namespace, update.IncidentNamespace);
        Assert.Equal(Name, update.IncidentName);
        Assert.Equal("api", update.Target);
        Assert.Equal("ImagePull (ImagePullBackOff) on deployment shop/api", update.What);
        Assert.Equal("2 of 2 new pods cannot pull nginx:1.26 (revision 4, last good 3)", update.Impact);
        Assert.Equal(Minute(0).AddSeconds(-20), update.Since);
        Assert.Equal("incident-responder", update.DetectedBy);
        Assert.Equal("incident-responder (runbook bad-rollout): choosing the first step", update.Acting);
        Assert.Equal($"{Namespace}/{Name}/{Uid}", update.DedupKey);
    }

    [Fact]
    public void A_summary_written_by_a_person_is_the_what()
    {
        var story = new NotificationStory().Open(0);
        story.Spec.Summary = "Checkout returns 503 for 30% of requests";
        story.Spec.Source = IncidentSource.Manual;

        var update = story.Deliver(0);

        Assert.Equal("Checkout returns 503 for 30% of requests", update.What);
        Assert.Equal("a person", update.DetectedBy);
    }
}
