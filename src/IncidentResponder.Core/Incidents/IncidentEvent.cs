using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Detection;

namespace IncidentResponder.Core.Incidents;

/// <summary>A signal as the incident records it.</summary>
public sealed record ObservedSignal(string Fingerprint, SignalType Type, string Reason, string Message, DateTimeOffset FirstSeen)
{
    public static ObservedSignal From(DetectedSignal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        return new ObservedSignal(signal.Identity ?? Incidents.Fingerprint.For(signal.Key), signal.Key.Type, signal.Reason, signal.Message, signal.FirstSeen);
    }
}

/// <summary>
/// Everything that can happen to an incident. The state machine applies one event to a status; applying the same
/// event again changes nothing, which is what lets the shell reconcile level-triggered and retry freely.
/// </summary>
public abstract partial record IncidentEvent
{
    /// <summary>The incident was opened for a signal. <paramref name="DetectedAt"/> is when the signal became visible.</summary>
    public sealed record Opened(ObservedSignal Signal, SeverityAssessment Severity, DateTimeOffset DetectedAt, RevisionChange? Change) : IncidentEvent;

    /// <summary>A signal was observed on the target (again, or for the first time: it joins).</summary>
    public sealed record SignalObserved(ObservedSignal Signal) : IncidentEvent;

    /// <summary>A resolved incident's target failed again within the reopen window.</summary>
    public sealed record Reopened(ObservedSignal Signal, string Reason) : IncidentEvent;

    /// <summary>A signal is no longer observed.</summary>
    public sealed record SignalCleared(string Fingerprint) : IncidentEvent;

    /// <summary>Triage changed the severity.</summary>
    public sealed record SeverityChanged(SeverityAssessment Severity) : IncidentEvent;

    /// <summary>The operator intends to run a step: written BEFORE acting, so a crash cannot lose or double it.</summary>
    public sealed record IntentRecorded(string Step, ActionType Type, int Attempt, string Reason, IReadOnlyDictionary<string, string>? Details = null) : IncidentEvent;

    /// <summary>
    /// A request that cannot be read back (an HTTP flag endpoint) is about to be sent: recorded BEFORE sending, so after a
    /// crash the record tells "never sent" (send it once) from "maybe sent" (never send it again).
    /// </summary>
    public sealed record ActionDispatched(string Step, int Attempt, string Message) : IncidentEvent;

    /// <summary>The action was applied to the cluster; verification starts.</summary>
    public sealed record ActionApplied(string Step, int Attempt, string Message, IReadOnlyDictionary<string, string>? Details = null) : IncidentEvent;

    /// <summary>The action had nothing to do (e.g. the template already matches) or could not run.</summary>
    public sealed record ActionSkipped(string Step, int Attempt, string Message) : IncidentEvent;

    /// <summary>Verification passed: the target is healthy again.</summary>
    public sealed record VerificationPassed(string Step, int Attempt, string Message) : IncidentEvent;

    /// <summary>Verification failed or timed out: the step did not help.</summary>
    public sealed record VerificationFailed(string Step, int Attempt, string Message) : IncidentEvent;

    /// <summary>The healthy stretch of a running verification started or ended (kept so the window survives restarts).</summary>
    public sealed record VerificationProgress(string Step, int Attempt, DateTimeOffset? HealthySince) : IncidentEvent;

    /// <summary>DryRun mode: what the step would do, computed and recorded, nothing changed.</summary>
    public sealed record DryRunRecorded(string Step, ActionType Type, int Attempt, string Message, IReadOnlyDictionary<string, string>? Details = null) : IncidentEvent;

    /// <summary>RequireApproval mode: the step waits for its name in spec.approvals.</summary>
    public sealed record ApprovalRequested(string Step, ActionType Type, int Attempt, string Reason) : IncidentEvent;

    /// <summary>A guardrail refused the step for now; the reason goes into the timeline.</summary>
    public sealed record GuardrailRefused(string Step, string Rule, string Reason) : IncidentEvent;

    /// <summary>A Note step: its text goes into the timeline.</summary>
    public sealed record NoteRecorded(string Step, int Attempt, string Text) : IncidentEvent;

    /// <summary>Handed to people; the operator stops acting. <paramref name="ConditionReason"/> is a CamelCase reason.</summary>
    public sealed record Escalated(string ConditionReason, string Reason) : IncidentEvent;

    /// <summary>Closed.</summary>
    public sealed record Resolved(string Reason) : IncidentEvent;
}
