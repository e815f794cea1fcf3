using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Triage;

namespace IncidentResponder.Core.Alerts;

/// <summary>
/// How a notification changes one incident: the spec it is created with, and its status after the notification,
/// as a pure function of the status before. Applying the same notification again returns an equal status, so a
/// re-delivery (Alertmanager repeats a group every group_interval) writes nothing, and a write that lost a race is
/// decided again on the fresh status.
/// </summary>
public static class AlertIncidentRecord
{
    /// <summary>The spec of a new incident: opened by the plan's oldest firing alert.</summary>
    public static IncidentSpec Spec(AlertGroup group, IncidentPlan plan, AlertPolicy? policy)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(plan);
        if (!plan.CanOpen)
        {
            throw new ArgumentException("only firing alerts open an incident", nameof(plan));
        }

        var first = plan.Firing[0];
        var meaning = policy?.Meaning(first) ?? AlertMeaning.Unrouted;
        // The policy counts only when it handles the signal the alert means: then the incident names its runbook.
        var runbook = policy?.RunbookFor(meaning.Signal);
        return new IncidentSpec
        {
            TargetRef = new TargetReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = plan.Target.Deployment.Name },
            Signal = new Signal
            {
                Type = meaning.Signal,
                Reason = ActionRecords.Truncate(first.Name, 128),
                Message = ActionRecords.Truncate(first.Text, 4096),
                Fingerprint = AlertIncidentNames.SignalFingerprint(first),
                FirstSeen = first.StartsAt.UtcDateTime,
            },
            Severity = Assess(plan, policy).Severity,
            Summary = Summary(plan),
            PolicyRef = runbook is null ? null : new LocalObjectReference { Name = policy!.PolicyName },
            RunbookRef = runbook is null ? null : new LocalObjectReference { Name = runbook },
            Source = IncidentSource.Alertmanager,
        };
    }

    /// <summary>The incident's status once the notification is applied.</summary>
    public static IncidentStatus Apply(IncidentStatus? current, IncidentPlan plan, AlertPolicy? policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var severity = Assess(plan, policy);
        var events = new List<IncidentEvent>();
        var firing = plan.Firing.Select(a => Observed(a, policy)).ToList();
        switch (current?.Phase)
        {
            case null when firing.Count > 0:
                // Created but never opened (or opened now): the oldest firing alert opens it.
                events.Add(new IncidentEvent.Opened(firing[0], severity, plan.Firing.Min(a => a.StartsAt), null));
                events.AddRange(firing.Skip(1).Select(s => new IncidentEvent.SignalObserved(s)));
                break;
            case null:
                return IncidentStatusCopy.Clone(current);
            case IncidentPhase.Resolved when firing.Count > 0:
                events.Add(new IncidentEvent.Reopened(firing[0], $"alert {plan.Firing[0].Name} of the group is firing again"));
                events.AddRange(firing.Skip(1).Select(s => new IncidentEvent.SignalObserved(s)));
                break;
            default:
                events.AddRange(firing.Select(s => new IncidentEvent.SignalObserved(s)));
                break;
        }

        // Severity only rises on its own: a lower one may have been set by a person, or by triage for a reason.
        if (current?.Severity is { } before && severity.Severity != before && SeverityClassifier.AtLeast(severity.Severity, before) && firing.Count > 0)
        {
            events.Add(new IncidentEvent.SeverityChanged(severity));
        }

        events.AddRange(plan.Resolved.Select(a => new IncidentEvent.SignalCleared(AlertIncidentNames.SignalFingerprint(a))));
        var status = IncidentStateMachine.ApplyAll(current, events, now);
        return EveryAlertResolved(status)
            ? IncidentStateMachine.Apply(status, new IncidentEvent.Resolved("every alert of the group is resolved"), now)
            : status;
    }

    /// <summary>
    /// Alertmanager says the problem is over. Only an incident nothing is being done about closes here: one with a step
    /// running, awaiting approval or escalated is left to the runbook and to people, who know more than the alert.
    /// </summary>
    private static bool EveryAlertResolved(IncidentStatus status) =>
        status.Phase is IncidentPhase.Detected or IncidentPhase.Mitigated
        && status.Signals is { Count: > 0 } signals
        && signals.TrueForAll(s => s.Cleared == true)
        && ActionRecords.InFlight(status) is null;

    private static ObservedSignal Observed(Alert alert, AlertPolicy? policy) =>
        new(AlertIncidentNames.SignalFingerprint(alert), (policy?.Meaning(alert) ?? AlertMeaning.Unrouted).Signal,
            ActionRecords.Truncate(alert.Name, 128), alert.Text, alert.StartsAt);

    /// <summary>
    /// The oldest firing alert's meaning names the incident's signal; a severity pinned for that signal wins, then each
    /// alert's route severity, then its label.
    /// </summary>
    private static SeverityAssessment Assess(IncidentPlan plan, AlertPolicy? policy)
    {
        var signal = plan.Firing.Count > 0 && policy is not null ? policy.Meaning(plan.Firing[0]).Signal : SignalType.Alert;
        return AlertSeverity.Assess(plan.Firing, policy?.PinnedFor(signal), signal, policy is null ? null : a => policy.Meaning(a).Severity);
    }

    private static string Summary(IncidentPlan plan)
    {
        var first = plan.Firing[0];
        var more = plan.Firing.Count > 1 ? $" (+{plan.Firing.Count - 1} more firing)" : string.Empty;
        return ActionRecords.Truncate($"{plan.Target.Deployment.Name}: alert {first.Name}{more}: {first.Text}");
    }
}
