using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Evidence;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Time;

namespace IncidentResponder.Core.Postmortems;

/// <summary>A memory limit the operator changed, read back from the action's details.</summary>
public sealed record MemoryChange(string Container, string FromLimit, string ToLimit, ActionPhase Phase);

/// <summary>A rollback the operator ran.</summary>
public sealed record Rollback(string Step, string? FromRevision, string? ToRevision, ActionPhase Phase, DateTimeOffset? At);

/// <summary>
/// The facts every section of the post-mortem is written from, read once from the Incident's record so the sections
/// agree with each other (one duration, one time to mitigate, one list of actions).
/// </summary>
public sealed record PostmortemFacts(
    string Name,
    string Namespace,
    string Target,
    string Severity,
    IncidentPhase? Phase,
    Signal Signal,
    string? Summary,
    DateTimeOffset? DetectedAt,
    DateTimeOffset? OpenedAt,
    DateTimeOffset? MitigatedAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset? EscalatedAt,
    string? EscalationReason,
    TimeSpan? TimeToDetect,
    TimeSpan? TimeToMitigate,
    IReadOnlyList<ActionRecord> Actions,
    IReadOnlyList<Rollback> Rollbacks,
    IReadOnlyList<MemoryChange> MemoryChanges,
    IReadOnlyList<TimelineEntry> Guardrails,
    IReadOnlyList<TimelineEntry> Timeline,
    RevisionDiff? Change,
    EvidenceBundle? Evidence,
    ResponseTargets Targets)
{
    /// <summary>When users stopped being affected as far as the record tells: mitigation, else resolution, else escalation.</summary>
    public DateTimeOffset? ImpactEnd => MitigatedAt ?? ResolvedAt;

    public TimeSpan? ImpactDuration => DetectedAt is { } start && ImpactEnd is { } end ? Max0(end - start) : null;

    public bool IsOomSignal => Signal.Type == SignalType.OOMKilled
        || (Signal.Reason?.Contains("OOM", StringComparison.OrdinalIgnoreCase) ?? false)
        || MemoryChanges.Count > 0;

    public IEnumerable<ActionRecord> FailedActions => Actions.Where(a => a.Phase == ActionPhase.Failed);

    public static PostmortemFacts From(PostmortemInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var incident = input.Incident;
        var status = incident.Status ?? new IncidentStatus();
        var detected = Utc(status.DetectedAt ?? incident.Spec.Signal.FirstSeen);
        var opened = Utc(status.OpenedAt);
        var mitigated = Utc(status.MitigatedAt);
        var escalated = status.Conditions?.FirstOrDefault(c => c.Type == Conditions.Escalated && c.Status == "True");
        var actions = status.Actions ?? [];
        var change = status.Change is { } c
            ? new RevisionDiff(c.FailingRevision, c.GoodRevision, c.Differences ?? [])
            : input.Evidence?.Diff;
        return new PostmortemFacts(
            incident.Metadata?.Name ?? string.Empty,
            incident.Metadata?.NamespaceProperty ?? string.Empty,
            incident.Spec.TargetRef.Name,
            SeverityText(status.Severity ?? incident.Spec.Severity),
            status.Phase,
            incident.Spec.Signal,
            incident.Spec.Summary,
            detected,
            opened,
            mitigated,
            Utc(status.ResolvedAt),
            escalated is null ? null : Utc(escalated.LastTransitionTime),
            escalated?.Message,
            Span(detected, opened) ?? Parse(status.TimeToDetect),
            Span(detected, mitigated) ?? Parse(status.TimeToMitigate),
            actions,
            [.. actions.Where(a => a.Type == ActionType.RolloutUndo).Select(a => new Rollback(a.Step,
                a.Details?.GetValueOrDefault(ActionRecords.FromRevisionKey), a.Details?.GetValueOrDefault(ActionRecords.ToRevisionKey), a.Phase, Utc(a.StartedAt)))],
            [.. actions.Select(MemoryChangeOf).OfType<MemoryChange>()],
            [.. (status.Timeline ?? []).Where(e => e.Type == TimelineEntryType.Guardrail)],
            status.Timeline ?? [],
            change,
            input.Evidence,
            input.Targets);
    }

    /// <summary>A RaiseMemoryLimit action's figures, from the details it recorded (see ActionChange.SetMemoryLimit).</summary>
    private static MemoryChange? MemoryChangeOf(ActionRecord action) =>
        action.Details is { } d && d.GetValueOrDefault("change") == "SetMemoryLimit"
        && d.TryGetValue("fromLimit", out var from) && d.TryGetValue("toLimit", out var to)
            ? new MemoryChange(d.GetValueOrDefault("container") ?? "?", from, to, action.Phase)
            : null;

    public static string SeverityText(Severity severity) => $"SEV-{(int)severity}";

    private static TimeSpan? Span(DateTimeOffset? from, DateTimeOffset? to) => from is { } a && to is { } b ? Max0(b - a) : null;

    private static TimeSpan? Parse(string? text) => GoDuration.TryParse(text, out var value) ? value : null;

    private static DateTimeOffset? Utc(DateTime? time) => time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;

    private static TimeSpan Max0(TimeSpan span) => span < TimeSpan.Zero ? TimeSpan.Zero : span;
}
