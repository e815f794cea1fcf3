namespace IncidentResponder.Core.People;

/// <summary>The Incident conditions and reasons written for people's requests (CamelCase, as metav1.Condition requires).</summary>
public static class PeopleConditions
{
    /// <summary>True while a person holds an escalated incident.</summary>
    public const string Acknowledged = "Acknowledged";

    /// <summary>False while a declared incident names a workload that does not exist.</summary>
    public const string TargetFound = "TargetFound";

    /// <summary>False while spec.approvals names a step the runbook does not have (the API cannot see the runbook).</summary>
    public const string ApprovalsValid = "ApprovalsValid";

    public static class Reasons
    {
        public const string AcknowledgedByPerson = "AcknowledgedByPerson";
        public const string HandedBack = Incidents.ActionRecords.HandedBackReason;
        public const string ResolvedByPerson = "ResolvedByPerson";
        public const string CancelledByPerson = "CancelledByPerson";
        public const string ReopenedByPerson = "ReopenedByPerson";
        public const string Regraded = "Regraded";
        public const string RolesChanged = "RolesChanged";
        public const string NoteAdded = "NoteAdded";
        public const string UnknownStep = "UnknownStep";
        public const string KnownSteps = "KnownSteps";
        public const string TargetNotFound = "TargetNotFound";
        public const string Found = "Found";
        public const string Declared = "Declared";
    }
}
