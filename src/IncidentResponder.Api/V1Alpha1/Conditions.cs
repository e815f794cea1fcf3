namespace IncidentResponder.Api.V1Alpha1;

/// <summary>Condition types and reasons the operator writes. Reasons are CamelCase, as metav1.Condition requires.</summary>
public static class Conditions
{
    public const string Ready = "Ready";
    public const string Acting = "Acting";
    public const string Mitigated = "Mitigated";
    public const string Resolved = "Resolved";
    public const string Escalated = "Escalated";

    /// <summary>The GitOps owner of the target is paused by the incident: true until it is resumed, with what it waits for.</summary>
    public const string GitOpsPaused = "GitOpsPaused";

    public static class Reasons
    {
        public const string Valid = "Valid";
        public const string InvalidSpec = "InvalidSpec";
        public const string RunbookNotFound = "RunbookNotFound";
        public const string ActionRunning = "ActionRunning";
        public const string AwaitingApproval = "AwaitingApproval";
        public const string Verified = "Verified";
        public const string GuardrailBlocked = "GuardrailBlocked";
        public const string CircuitBreakerOpen = "CircuitBreakerOpen";
        public const string StepsExhausted = "StepsExhausted";
        public const string SignalCleared = "SignalCleared";
    }
}
