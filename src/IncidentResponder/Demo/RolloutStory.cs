using IncidentResponder.Api.V1Alpha1;
using k8s;

namespace IncidentResponder.Demo;

/// <summary>
/// The bad-rollout story, milestone by milestone, read from the Incident's status (its timeline, actions and
/// timestamps) and the Deployment. Pure: each snapshot advances the story as far as it shows, in order, so a line is
/// printed once and never before the lines that come before it.
/// </summary>
internal sealed class RolloutStory
{
    private const string RevisionAnnotation = "deployment.kubernetes.io/revision";

    private readonly IReadOnlyList<Milestone> _milestones;
    private int _next;

    /// <param name="verification">The rollback step's checks, as the narration quotes them.</param>
    /// <param name="badCommit">With --gitops, the commit of the bad release: the story then tells the GitOps side too.</param>
    public RolloutStory(string verification, string? badCommit = null)
    {
        var gitops = badCommit is not null;
        _milestones =
        [
            .. gitops ? [GitOpsMilestones.BadCommitSynced(badCommit!)] : Array.Empty<Milestone>(),
            new("a new checkout pod in CrashLoopBackOff", PodsCrashLooping),
            new("the operator to detect the failure and open an Incident", SignalDetected),
            new("the Incident to be opened", IncidentOpened),
            new("the operator's decision on the rollback step", Decision),
            new("the rollback intent in the Incident's status", IntentRecorded),
            .. gitops ? [GitOpsMilestones.OwnerRecognised, GitOpsMilestones.OwnerPaused] : Array.Empty<Milestone>(),
            new("the rollback patch to be applied", PatchApplied),
            new("checkout to serve the good image again", s => Recovered(s, verification)),
            new("the rollback to pass verification", Verified),
            new("the Incident to be Mitigated", Mitigated),
            .. gitops ? [GitOpsMilestones.RevertPushed, GitOpsMilestones.OwnerResumed] : Array.Empty<Milestone>(),
            new("the Incident to be Resolved", Resolved),
        ];
    }

    public bool Finished => _next == _milestones.Count;

    public string WaitingFor => Finished ? "nothing" : _milestones[_next].WaitingFor;

    /// <summary>The lines this snapshot newly reaches, in story order.</summary>
    public IReadOnlyList<StoryLine> Advance(StorySnapshot snapshot)
    {
        var lines = new List<StoryLine>();
        while (!Finished && _milestones[_next].Observe(snapshot) is { } line)
        {
            lines.Add(line);
            _next++;
        }

        return lines;
    }

    /// <summary>Why the story cannot reach its end any more, if it cannot: the operator handed the incident to people.</summary>
    public static string? Failure(StorySnapshot snapshot) =>
        snapshot.Incident?.Status is { Phase: IncidentPhase.Escalated } status
            ? "the Incident was escalated instead of rolled back: " + (status.Timeline?.LastOrDefault(e => e.Type == TimelineEntryType.Phase)?.Message ?? "no reason recorded")
            : null;

    private static StoryLine? PodsCrashLooping(StorySnapshot s)
    {
        var newPods = s.Pods.Where(p => p.Spec.Containers.Any(c => c.Image == CheckoutApp.BadImage)).ToList();
        var crashing = newPods.Where(p => (p.Status?.ContainerStatuses ?? []).Any(c => c.State?.Waiting?.Reason == "CrashLoopBackOff")).ToList();
        if (crashing.Count == 0)
        {
            // Between two looks the pods may have been replaced already; the incident's signal then tells it.
            return s.Incident?.Spec.Signal is { } signal
                ? new StoryLine(Utc(signal.FirstSeen, s.Now), $"pods crash-looping: {signal.Message}")
                : null;
        }

        var restarts = crashing.Sum(p => (p.Status!.ContainerStatuses ?? []).Sum(c => c.RestartCount));
        return new StoryLine(s.Now, $"pods crash-looping: {crashing.Count} of {newPods.Count} new pod(s) in CrashLoopBackOff, {restarts} restart(s) so far");
    }

    /// <summary>
    /// The operator sees the failure on the new revision and starts holding it (hysteresis), before any incident:
    /// the operator's own detection shows it; an incident already open shows it too.
    /// </summary>
    private static StoryLine? SignalDetected(StorySnapshot s)
    {
        if (s.Detection is { Revision: > 1, Pending: var pending, Confirmed: var confirmed } && pending + confirmed > 0)
        {
            return new StoryLine(s.Now, $"signal detected: revision {s.Detection.Revision} fails over the policy's thresholds; the operator holds it before opening an incident");
        }

        return s.Incident is { Status.DetectedAt: { } detected } incident
            ? new StoryLine(Utc(detected), $"signal detected: {incident.Spec.Signal.Type} ({incident.Spec.Signal.Reason}) on {incident.Spec.TargetRef.Name}")
            : null;
    }

    private static StoryLine? IncidentOpened(StorySnapshot s)
    {
        if (s.Incident is not { Status: { OpenedAt: { } opened } status } incident)
        {
            return null;
        }

        var signal = incident.Spec.Signal;
        var details = new List<string> { $"signal: {signal.Reason}: {signal.Message}" };
        if (status.DetectedAt is { } detected)
        {
            details.Add($"opened once the signal held for {Seconds(Utc(opened) - Utc(detected))} without a break (the policy's holdFor)");
        }

        details.Add(Triage(status));
        details.AddRange((status.Change?.Differences ?? []).Select(d => "what changed: " + d));
        return new StoryLine(Utc(opened),
            $"Incident opened: {incident.Metadata.Name}, {SeverityName(status.Severity ?? incident.Spec.Severity)}, signal {incident.Spec.Signal.Type}", details);
    }

    private static StoryLine? Decision(StorySnapshot s)
    {
        if (Rollback(s) is not { } action)
        {
            return null;
        }

        var timeline = s.Incident!.Status!.Timeline ?? [];
        var decided = timeline.LastOrDefault(e => e.Type == TimelineEntryType.Decision && e.Message.StartsWith($"step {action.Step} ", StringComparison.Ordinal));
        var refusals = timeline.Where(e => e.Type == TimelineEntryType.Guardrail).Select(e => "guardrail: " + e.Message).ToList();
        var guardrails = refusals.Count == 0 ? "guardrails passed" : "guardrails passed after earlier refusals";
        var mode = action.Phase switch
        {
            ActionPhase.DryRun => nameof(RemediationMode.DryRun),
            ActionPhase.AwaitingApproval => nameof(RemediationMode.RequireApproval),
            _ => nameof(RemediationMode.Automatic),
        };
        return new StoryLine(decided is null ? Utc(action.StartedAt, s.Now) : Utc(decided.Time),
            $"decision: {action.Type} — {guardrails}, mode {mode}",
            [.. refusals, .. decided is null ? Array.Empty<string>() : [decided.Message]]);
    }

    private static StoryLine? IntentRecorded(StorySnapshot s)
    {
        if (Rollback(s) is not { } action)
        {
            return null;
        }

        var index = s.Incident!.Status!.Actions!.IndexOf(action);
        return new StoryLine(Utc(action.StartedAt, s.Now),
            $"rollback intent recorded: status.actions[{index}] {action.Step}, revision {Detail(action, "fromRevision")} → {Detail(action, "toRevision")}, before touching the Deployment");
    }

    private static StoryLine? PatchApplied(StorySnapshot s)
    {
        if (Rollback(s) is not { Phase: ActionPhase.Running or ActionPhase.Succeeded or ActionPhase.Failed } action)
        {
            return null;
        }

        var applied = s.Incident!.Status!.Timeline?.LastOrDefault(e => e.Type == TimelineEntryType.Action && e.Message.StartsWith($"step {action.Step}: ", StringComparison.Ordinal));
        return new StoryLine(applied is null ? s.Now : Utc(applied.Time),
            $"rollback patch applied: revision {Detail(action, "fromRevision")} → {Detail(action, "toRevision")} ({Detail(action, "images")})",
            applied is null ? [] : [applied.Message]);
    }

    private static StoryLine? Recovered(StorySnapshot s, string verification)
    {
        var deployment = s.Deployment;
        var status = deployment.Status;
        var wanted = deployment.Spec.Replicas ?? 1;
        var onGoodImage = deployment.Spec.Template.Spec.Containers.All(c => c.Image == CheckoutApp.GoodImage);
        if (!onGoodImage || status is null || status.ObservedGeneration < deployment.Metadata.Generation
            || status.UpdatedReplicas != wanted || status.AvailableReplicas != wanted || status.Replicas != wanted)
        {
            return null;
        }

        var revision = deployment.Metadata.Annotations?.TryGetValue(RevisionAnnotation, out var r) == true ? r : "?";
        return new StoryLine(s.Now, $"checkout recovered: {status.AvailableReplicas}/{wanted} pods ready on {CheckoutApp.GoodImage} (now revision {revision})",
            [$"verifying: {verification}"]);
    }

    private static StoryLine? Verified(StorySnapshot s)
    {
        if (Rollback(s) is not { Phase: ActionPhase.Succeeded } action)
        {
            return null;
        }

        return new StoryLine(Utc(action.FinishedAt, s.Now), $"verified: {action.Message}");
    }

    private static StoryLine? Mitigated(StorySnapshot s) =>
        s.Incident?.Status is { MitigatedAt: { } mitigated } status
            ? new StoryLine(Utc(mitigated), status.DetectedAt is { } detected
                ? $"Mitigated: {Seconds(Utc(mitigated) - Utc(detected))} after the signal was detected"
                : "Mitigated")
            : null;

    private static StoryLine? Resolved(StorySnapshot s)
    {
        if (s.Incident?.Status is not { Phase: IncidentPhase.Resolved, ResolvedAt: { } resolved } status)
        {
            return null;
        }

        var reason = status.Timeline?.LastOrDefault(e => e.Type == TimelineEntryType.Phase && e.Message.StartsWith("Resolved: ", StringComparison.Ordinal));
        return new StoryLine(Utc(resolved), reason is null ? "Resolved" : reason.Message);
    }

    /// <summary>The incident's RolloutUndo action, once its intent is written.</summary>
    private static ActionRecord? Rollback(StorySnapshot s) =>
        s.Incident?.Status?.Actions?.FirstOrDefault(a => a.Type == ActionType.RolloutUndo);

    private static string Triage(IncidentStatus status) =>
        status.Timeline?.FirstOrDefault(e => e.Type == TimelineEntryType.Triaged)?.Message ?? "severity triaged";

    private static string Detail(ActionRecord action, string key) =>
        action.Details?.TryGetValue(key, out var value) == true ? value : "?";

    /// <summary>1.2s: durations in the narration are read by people, not parsed.</summary>
    public static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "s";

    /// <summary>The span between two recorded times, e.g. detection and mitigation.</summary>
    public static TimeSpan Between(DateTime from, DateTime to) => Utc(to) - Utc(from);

    /// <summary>SEV-2, as the API spells it (the C# name is Sev2).</summary>
    public static string SeverityName(Severity severity) => KubernetesJson.Serialize(severity).Trim('"');

    // API timestamps are UTC; a deserializer may hand them over as Local or Unspecified.
    private static DateTimeOffset Utc(DateTime time) =>
        new(time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc));

    /// <summary>A recorded time, or the time of the snapshot when the record has none.</summary>
    private static DateTimeOffset Utc(DateTime? time, DateTimeOffset otherwise) => time is { } t ? Utc(t) : otherwise;
}
