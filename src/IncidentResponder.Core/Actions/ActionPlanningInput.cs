using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Guardrails;
using IncidentResponder.Core.Policy;

namespace IncidentResponder.Core.Actions;

/// <summary>What the action planners need to know about one incident and its target at one reconcile.</summary>
/// <param name="Observed">The target Deployment with its ReplicaSets and pods.</param>
/// <param name="Detection">The detector's result for the target at this reconcile.</param>
/// <param name="Caps">The policy's limits on what an action may change.</param>
/// <param name="IncidentActions">This incident's action records.</param>
/// <param name="NamespaceActions">Actions of every incident in the namespace.</param>
/// <param name="Actions">The target's HPA and flag values, for Scale and FeatureFlag steps; null: none observed.</param>
public sealed record ActionPlanningInput(
    string IncidentName,
    DetectionInput Observed,
    DetectionResult Detection,
    ActionCaps Caps,
    IReadOnlyList<ActionRecord>? IncidentActions,
    IReadOnlyList<ActionHistoryEntry> NamespaceActions,
    ActionObservations? Actions);
