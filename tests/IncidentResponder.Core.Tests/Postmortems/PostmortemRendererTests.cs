using System.Text.RegularExpressions;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Postmortems;

namespace IncidentResponder.Core.Tests.Postmortems;

/// <summary>Every section of the playbook's template is filled from the record: change an input, and that section changes.</summary>
public sealed partial class PostmortemRendererTests
{
    private static readonly string[] TemplateSections =
        ["Summary", "Impact", "Timeline (all times UTC)", "Root Cause", "What Went Well", "What Went Wrong", "Action Items", "Lessons Learned"];

    [GeneratedRegex(@"^## ", RegexOptions.Multiline)]
    private static partial Regex SectionHeading();

    /// <summary>The body of a "## heading" section, up to the next one.</summary>
    private static string Section(string markdown, string heading)
    {
        var start = markdown.IndexOf($"## {heading}\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"section {heading} missing:\n{markdown}");
        var body = markdown[(start + heading.Length + 4)..];
        var next = SectionHeading().Match(body);
        return next.Success ? body[..next.Index] : body;
    }

    private static string Render(PostmortemInput input) => PostmortemRenderer.Render(input);

    [Fact]
    public void Every_template_section_is_present_in_order_and_the_rendering_is_deterministic()
    {
        var markdown = Render(PostmortemStory.Input());

        var positions = TemplateSections.Select(s => markdown.IndexOf($"## {s}\n", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);
        Assert.StartsWith("# Post-Mortem: CrashLoop of web — 2026-11-27", markdown, StringComparison.Ordinal);
        Assert.Equal(markdown, Render(PostmortemStory.Input()));
    }

    [Fact]
    public void Summary_tells_the_signal_the_rollback_and_the_trigger_from_the_record()
    {
        var summary = Section(Render(PostmortemStory.Input()), "Summary");

        Assert.Contains("`shop/web` showed CrashLoop (CrashLoopBackOff)", summary, StringComparison.Ordinal);
        Assert.Contains("rolled the Deployment back from revision 2 to revision 1", summary, StringComparison.Ordinal);
        Assert.Contains("opened 4s after", summary, StringComparison.Ordinal);
        Assert.Contains("1m35s after detection", summary, StringComparison.Ordinal);
        Assert.Contains("nginx:1.25 → nginx:1.26", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("Draft", summary, StringComparison.Ordinal);

        var escalated = PostmortemStory.RolledBack();
        escalated.Status!.Phase = IncidentPhase.Escalated;
        escalated.Status.Actions![0].Phase = ActionPhase.Failed;
        escalated.Status.MitigatedAt = null;
        escalated.Status.Conditions = [new() { Type = Conditions.Escalated, Status = "True", Reason = "StepsExhausted", Message = "no step left", LastTransitionTime = PostmortemStory.Detected.AddMinutes(3) }];
        var draft = Section(Render(PostmortemStory.Input(escalated)), "Summary");
        Assert.Contains("Draft: the incident is Escalated", draft, StringComparison.Ordinal);
        Assert.Contains("escalated to people: no step left", draft, StringComparison.Ordinal);
    }

    [Fact]
    public void Impact_has_the_duration_the_target_and_replicas_over_time()
    {
        var impact = Section(Render(PostmortemStory.Input()), "Impact");

        Assert.Contains("**Duration:** 1m35s (14:23:00 — 14:24:35 UTC)", impact, StringComparison.Ordinal);
        Assert.Contains("Deployment `shop/web`", impact, StringComparison.Ordinal);
        Assert.Contains("| 14:23:06 | 1 | 1/2 | evidence collected |", impact, StringComparison.Ordinal);
        Assert.Contains("| 14:24:35 | 0 | all | mitigation verified |", impact, StringComparison.Ordinal);

        var later = PostmortemStory.RolledBack();
        later.Status!.MitigatedAt = PostmortemStory.Detected.AddMinutes(10);
        Assert.Contains("**Duration:** 10m0s (14:23:00 — 14:33:00 UTC)", Section(Render(PostmortemStory.Input(later)), "Impact"), StringComparison.Ordinal);
        Assert.Contains("not recorded", Section(Render(PostmortemStory.Input() with { Evidence = null }), "Impact"), StringComparison.Ordinal);
    }

    [Fact]
    public void Timeline_merges_the_status_timeline_with_the_evidence_events_in_time_order_and_draws_a_gantt_chart()
    {
        var timeline = Section(Render(PostmortemStory.Input()), "Timeline (all times UTC)");

        var backOff = timeline.IndexOf("| 14:23:02 | Event | BackOff on Pod/web-2-abc (×3)", StringComparison.Ordinal);
        var detected = timeline.IndexOf("| 14:23:04 | Detected | CrashLoop detected", StringComparison.Ordinal);
        var resolved = timeline.IndexOf("| 14:25:40 | Phase | Resolved: signal cleared |", StringComparison.Ordinal);
        Assert.True(backOff >= 0 && detected > backOff && resolved > detected, timeline);

        Assert.Contains("```mermaid\ngantt\n", timeline, StringComparison.Ordinal);
        Assert.Contains("    Detection :done, detect, 2026-11-27 14:23:00, 2026-11-27 14:23:04\n", timeline, StringComparison.Ordinal);
        Assert.Contains("    Impact until mitigation :crit, impact, 2026-11-27 14:23:00, 2026-11-27 14:24:35\n", timeline, StringComparison.Ordinal);
        Assert.Contains("    Resolved :milestone, resolved, 2026-11-27 14:25:40, 0s\n", timeline, StringComparison.Ordinal);
        Assert.Contains("    rollback RolloutUndo Succeeded :done, action1, 2026-11-27 14:23:05, 2026-11-27 14:24:35\n", timeline, StringComparison.Ordinal);

        var noted = PostmortemStory.RolledBack();
        noted.Status!.Timeline!.Add(new TimelineEntry { Time = PostmortemStory.Detected.AddSeconds(100), Type = TimelineEntryType.Note, Message = "checked: dashboards green" });
        Assert.Contains("| 14:24:40 | Note | checked: dashboards green |", Section(Render(PostmortemStory.Input(noted)), "Timeline (all times UTC)"), StringComparison.Ordinal);
    }

    [Fact]
    public void Root_cause_shows_the_revision_diff_the_images_and_OOM_figures_from_the_action_details()
    {
        var rootCause = Section(Render(PostmortemStory.Input()), "Root Cause");

        Assert.Contains("Failing revision 2, last good revision 1", rootCause, StringComparison.Ordinal);
        Assert.Contains("- container nginx: image nginx:1.25 → nginx:1.26", rootCause, StringComparison.Ordinal);
        Assert.Contains("Revision 1 (`web-1`) runs `nginx:1.25`", rootCause, StringComparison.Ordinal);
        Assert.Contains("- fatal: 4 lines", rootCause, StringComparison.Ordinal);
        Assert.DoesNotContain("Memory", rootCause, StringComparison.Ordinal);

        var oom = PostmortemStory.RolledBack();
        oom.Spec.Signal = new Signal { Type = SignalType.OOMKilled, Reason = "OOMKilled" };
        oom.Status!.Change = null;
        oom.Status.Actions = [new ActionRecord
        {
            Step = "raise-memory", Type = ActionType.RaiseMemoryLimit, Phase = ActionPhase.Succeeded, StartedAt = PostmortemStory.Detected.AddSeconds(5),
            Details = new Dictionary<string, string> { ["change"] = "SetMemoryLimit", ["container"] = "nginx", ["fromLimit"] = "256Mi", ["toLimit"] = "384Mi" },
        }];
        var oomCause = Section(Render(PostmortemStory.Input(oom, PostmortemStory.Evidence() with { Diff = null })), "Root Cause");
        Assert.Contains("raised the memory limit of container `nginx` from 256Mi to 384Mi (Succeeded)", oomCause, StringComparison.Ordinal);
        Assert.Contains("memory request unset, limit 256Mi", oomCause, StringComparison.Ordinal);
        Assert.DoesNotContain("Revision change", oomCause, StringComparison.Ordinal);
    }

    [Fact]
    public void What_went_well_and_wrong_judge_detection_and_mitigation_against_the_targets()
    {
        var markdown = Render(PostmortemStory.Input());
        Assert.Contains("Time to detect 4s, within the 5m0s target", Section(markdown, "What Went Well"), StringComparison.Ordinal);
        Assert.Contains("Time to mitigate 1m35s, within the 30m0s target", Section(markdown, "What Went Well"), StringComparison.Ordinal);
        Assert.Contains("Automatic rollback from revision 2 to revision 1", Section(markdown, "What Went Well"), StringComparison.Ordinal);
        Assert.Contains("Nothing recorded", Section(markdown, "What Went Wrong"), StringComparison.Ordinal);

        var strict = Render(PostmortemStory.Input(targets: ResponseTargets.From(new ResponseObjectives { TimeToDetect = "2s", TimeToMitigate = "1m" })));
        Assert.Contains("Time to detect 4s, over the 2s target", Section(strict, "What Went Wrong"), StringComparison.Ordinal);
        Assert.Contains("Time to mitigate 1m35s, over the 1m0s target", Section(strict, "What Went Wrong"), StringComparison.Ordinal);

        var guarded = PostmortemStory.RolledBack();
        guarded.Status!.Actions!.Add(new ActionRecord { Step = "scale", Type = ActionType.Scale, Phase = ActionPhase.Failed, Message = "forbidden" });
        guarded.Status.Timeline!.Add(new TimelineEntry { Time = PostmortemStory.Detected.AddSeconds(50), Type = TimelineEntryType.Guardrail, Message = "scale: cooldown 10m not over" });
        var review = Render(PostmortemStory.Input(guarded));
        Assert.Contains("Step scale (Scale) failed: forbidden", Section(review, "What Went Wrong"), StringComparison.Ordinal);
        Assert.Contains("Guardrail held a step back at 14:23:50 UTC: scale: cooldown 10m not over", Section(review, "What Went Well"), StringComparison.Ordinal);
    }

    [Fact]
    public void Action_items_are_suggested_from_facts_and_go_away_when_the_fact_does()
    {
        var items = Section(Render(PostmortemStory.Input()), "Action Items");
        Assert.Contains("| P0 | Fix or revert the change of revision 2 (container nginx: image nginx:1.25 → nginx:1.26)", items, StringComparison.Ordinal);
        Assert.Contains("Set spec.progressDeadlineSeconds on `shop/web` to 2-3 times its normal rollout time (now 600s)", items, StringComparison.Ordinal);
        Assert.Contains("Add a readiness probe to container `nginx`", items, StringComparison.Ordinal);
        Assert.Contains("Alert on fatal log lines", items, StringComparison.Ordinal);
        Assert.DoesNotContain("memory alert", items, StringComparison.Ordinal);

        var evidence = PostmortemStory.Evidence();
        var tuned = evidence with
        {
            Snapshot = evidence.Snapshot! with { ProgressDeadlineSeconds = 120, Containers = [new("nginx", "nginx:1.26", "128Mi", "256Mi", ReadinessProbe: true, LivenessProbe: true)] },
        };
        var fewer = Section(Render(PostmortemStory.Input(evidence: tuned)), "Action Items");
        Assert.DoesNotContain("progressDeadlineSeconds", fewer, StringComparison.Ordinal);
        Assert.DoesNotContain("readiness probe", fewer, StringComparison.Ordinal);

        var oom = PostmortemStory.RolledBack();
        oom.Spec.Signal = new Signal { Type = SignalType.OOMKilled, Reason = "OOMKilled" };
        oom.Status!.Actions = [new ActionRecord
        {
            Step = "raise-memory", Type = ActionType.RaiseMemoryLimit, Phase = ActionPhase.Succeeded,
            Details = new Dictionary<string, string> { ["change"] = "SetMemoryLimit", ["container"] = "nginx", ["fromLimit"] = "256Mi", ["toLimit"] = "384Mi" },
        }];
        var oomItems = Section(Render(PostmortemStory.Input(oom)), "Action Items");
        Assert.Contains("Add a memory alert for `shop/web`", oomItems, StringComparison.Ordinal);
        Assert.Contains("Make the memory limit of container `nginx` 384Mi in the manifest", oomItems, StringComparison.Ordinal);
    }

    [Fact]
    public void Lessons_follow_the_kind_of_incident()
    {
        Assert.Contains("rolling back first restored service in 1m35s", Section(Render(PostmortemStory.Input()), "Lessons Learned"), StringComparison.Ordinal);

        var manual = PostmortemStory.RolledBack();
        manual.Spec.Signal = new Signal { Type = SignalType.DependencyFailure };
        manual.Status!.Change = null;
        manual.Status.Actions = [];
        var lessons = Section(Render(PostmortemStory.Input(manual, PostmortemStory.Evidence() with { Diff = null, Errors = [] })), "Lessons Learned");
        Assert.Contains("DependencyFailure on web had no recorded cause", lessons, StringComparison.Ordinal);
    }

    [Fact]
    public void Response_targets_default_to_the_seed_and_come_from_the_policy_when_set()
    {
        Assert.Equal(new ResponseTargets(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30)), ResponseTargets.From(null));
        Assert.Equal(new ResponseTargets(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(30)), ResponseTargets.From(new ResponseObjectives { TimeToDetect = "30s" }));
    }
}
