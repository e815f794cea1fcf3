using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Policy;

namespace IncidentResponder.Core.Guardrails;

/// <summary>Everything the guardrails judge one intended action by.</summary>
/// <param name="IncidentNamespace">Namespace of the incident, and so of its target.</param>
/// <param name="Approvals">The Incident's spec.approvals.</param>
/// <param name="NamespaceActions">The actions of every incident in the policy's namespace.</param>
/// <param name="ActingIncidents">Names of the incidents under the policy that are acting (Mitigating) now.</param>
public sealed record GuardrailInput(
    EffectivePolicy Policy,
    string IncidentName,
    string IncidentNamespace,
    Severity Severity,
    string Step,
    ActionType Action,
    DeploymentObservation Target,
    IReadOnlyCollection<string> Approvals,
    IReadOnlyList<ActionHistoryEntry> NamespaceActions,
    IReadOnlyCollection<string> ActingIncidents,
    DateTimeOffset Now)
{
    /// <summary>Counted actions on this input's target, newest first.</summary>
    public IEnumerable<ActionHistoryEntry> TargetActions =>
        NamespaceActions.Where(a => a.Target == Target.Name && ActionHistory.Counts(a)).OrderByDescending(a => a.StartedAt);
}
