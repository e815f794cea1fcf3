using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Notifications;
using IncidentResponder.Core.Tests.Fixtures;
using k8s.Models;

namespace IncidentResponder.Core.Tests.Notifications;

/// <summary>
/// An incident's status built step by step at fixed minutes after <see cref="Clock.T0"/>, and the planner run over it
/// for one target, feeding each delivered record back as the controller does.
/// </summary>
internal sealed class NotificationStory
{
    public const string Namespace = "shop";
    public const string Name = "api-rolloutstuck-1a2b";
    public const string Uid = "7d1e4c1a-0000-4000-8000-000000000001";

    public NotificationStory(Severity severity = Severity.Sev2, NotificationTargetType type = NotificationTargetType.Slack, Severity? minSeverity = null)
    {
        Spec = new IncidentSpec
        {
            TargetRef = new TargetReference { Name = "api" },
            Signal = new Signal { Type = SignalType.ImagePull, Reason = "ImagePullBackOff", Message = "2 of 2 new pods cannot pull nginx:1.26" },
            Severity = severity,
            RunbookRef = new LocalObjectReference { Name = "bad-rollout" },
            Source = IncidentSource.Detector,
        };
        Target = new NotificationTarget
        {
            Name = "oncall",
            Type = type,
            SecretRef = new SecretKeyReference { Name = "notify", Key = "url" },
            MinSeverity = minSeverity,
        };
    }

    public IncidentSpec Spec { get; }

    public IncidentStatus Status { get; } = new();

    public NotificationTarget Target { get; }

    public NotificationCadence? Cadence { get; set; }

    public NotificationRecord? Record { get; set; }

    public IReadOnlyList<string> Contacts { get; set; } = ["@backend-oncall", "@backend-lead"];

    /// <summary>The policy's maintenance window open at the moment planned; null: none.</summary>
    public Core.Policy.OpenMaintenanceWindow? Maintenance { get; set; }

    public static DateTimeOffset Minute(double minutes) => Clock.T0.AddMinutes(minutes);

    public NotificationStory Open(double minute = 0)
    {
        Status.Phase = IncidentPhase.Detected;
        Status.Severity = Spec.Severity;
        Status.DetectedAt = Minute(minute).AddSeconds(-20).UtcDateTime;
        Status.OpenedAt = Minute(minute).UtcDateTime;
        return this;
    }

    public NotificationStory Action(string step, ActionPhase phase, double minute, string? message = null, int attempt = 1)
    {
        Status.Actions ??= [];
        var existing = Status.Actions.Find(a => a.Step == step && a.Attempt == attempt);
        if (existing is null)
        {
            existing = new ActionRecord { Step = step, Type = ActionType.RolloutUndo, Attempt = attempt, StartedAt = Minute(minute).UtcDateTime };
            Status.Actions.Add(existing);
        }

        existing.Phase = phase;
        existing.Message = message;
        if (phase is ActionPhase.Succeeded or ActionPhase.Failed or ActionPhase.Skipped or ActionPhase.DryRun)
        {
            existing.FinishedAt = Minute(minute).UtcDateTime;
        }

        Status.Phase = phase == ActionPhase.AwaitingApproval ? IncidentPhase.AwaitingApproval : IncidentPhase.Mitigating;
        return this;
    }

    public NotificationStory Mitigate(double minute)
    {
        Status.Phase = IncidentPhase.Mitigated;
        Status.MitigatedAt = Minute(minute).UtcDateTime;
        SetCondition(Conditions.Mitigated, "True", "Verified", "rollback verified: Available, new pods ready", minute);
        return this;
    }

    public NotificationStory Resolve(double minute)
    {
        Status.Phase = IncidentPhase.Resolved;
        Status.ResolvedAt = Minute(minute).UtcDateTime;
        SetCondition(Conditions.Resolved, "True", "SignalCleared", "the signal cleared", minute);
        return this;
    }

    public NotificationStory Reopen(double minute)
    {
        Status.Phase = IncidentPhase.Detected;
        Status.MitigatedAt = null;
        Status.ResolvedAt = null;
        SetCondition(Conditions.Resolved, "False", "Reopened", "ImagePull seen again within the reopen window", minute);
        return this;
    }

    public NotificationStory Escalate(double minute)
    {
        Status.Phase = IncidentPhase.Escalated;
        SetCondition(Conditions.Escalated, "True", "StepsExhausted", "no automatic mitigation helped", minute);
        return this;
    }

    public NotificationPlan Plan(double minute, TimeSpan? firstFailureBackoff = null) =>
        NotificationPlanner.Plan(new NotificationInput(Namespace, Name, Uid, Spec, Status, Target, Cadence, Record, Contacts, firstFailureBackoff, Maintenance), Minute(minute));

    /// <summary>Plans at <paramref name="minute"/>, expects a send, and records it as delivered.</summary>
    public IncidentUpdate Deliver(double minute)
    {
        var send = Assert.IsType<NotificationPlan.Send>(Plan(minute));
        Record = send.Delivered;
        return send.Update;
    }

    public NotificationStory Fail(double minute, string error = "HTTP 503")
    {
        Record = NotificationPlanner.Failed(Record, Target, error, Minute(minute));
        return this;
    }

    private void SetCondition(string type, string status, string reason, string message, double minute)
    {
        Status.Conditions ??= [];
        Status.Conditions.RemoveAll(c => c.Type == type);
        Status.Conditions.Add(new V1Condition { Type = type, Status = status, Reason = reason, Message = message, LastTransitionTime = Minute(minute).UtcDateTime });
    }
}
