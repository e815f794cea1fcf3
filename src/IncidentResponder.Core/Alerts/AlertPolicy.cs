using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Core.Alerts;

/// <summary>
/// The policy governing an alert's target, as the intake needs it: its alert routes (what an alert means) and its
/// signal routes (which runbook handles that meaning, and a severity it may pin).
/// </summary>
public sealed record AlertPolicy(string PolicyName, IReadOnlyList<AlertRoute> Routes, IReadOnlyList<SignalRoute> Signals)
{
    public static AlertPolicy From(RemediationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new AlertPolicy(policy.Metadata.Name, policy.Spec.Alerts?.Routes ?? [], policy.Spec.Signals);
    }

    /// <summary>A policy without alert routes that sends the Alert signal to a runbook (null: the policy routes no alerts).</summary>
    public static AlertPolicy RoutingAlerts(string policyName, string? runbook, Severity? pinned = null) =>
        new(policyName, [], runbook is null ? [] : [new SignalRoute { Signal = SignalType.Alert, RunbookRef = new() { Name = runbook }, Severity = pinned }]);

    public AlertMeaning Meaning(Alert alert) => AlertRouteMatcher.Match(Routes, alert);

    /// <summary>The runbook of the policy's route for the signal; null when the policy does not handle it.</summary>
    public string? RunbookFor(SignalType signal) => Route(signal)?.RunbookRef.Name;

    /// <summary>The severity the policy's route for the signal pins, if any.</summary>
    public Severity? PinnedFor(SignalType signal) => Route(signal)?.Severity;

    private SignalRoute? Route(SignalType signal) => Signals.FirstOrDefault(s => s.Signal == signal);
}
