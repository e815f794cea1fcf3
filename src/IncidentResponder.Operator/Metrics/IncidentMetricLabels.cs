using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Operator.Metrics;

/// <summary>Label values as they appear in PromQL: severities as kubectl shows them, outcomes in lower case.</summary>
public static class IncidentMetricLabels
{
    /// <summary>An incident whose status the operator has not written yet (e.g. just declared with kubectl).</summary>
    public const string UnknownPhase = "Unknown";

    public static string Severity(Severity severity) => $"SEV-{(int)severity}";

    public static string Severity(Incident incident) => Severity(incident.Status?.Severity ?? incident.Spec.Severity);

    public static string Phase(Incident incident) => incident.Status?.Phase?.ToString() ?? UnknownPhase;

    /// <summary>The outcome of an action in a final phase; null while it may still change (Pending, Running, AwaitingApproval).</summary>
    public static string? Outcome(ActionPhase phase) => phase switch
    {
        ActionPhase.Succeeded => "succeeded",
        ActionPhase.Failed => "failed",
        ActionPhase.Skipped => "skipped",
        ActionPhase.DryRun => "dry_run",
        _ => null,
    };
}
