using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Guardrails;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Revisions;

namespace IncidentResponder.Core.Decisions;

/// <summary>Everything known about one open incident at one reconcile: its record, its rules and its target.</summary>
/// <param name="Observed">The target Deployment with its ReplicaSets and pods.</param>
/// <param name="Detection">The detector's result for the target at this reconcile.</param>
/// <param name="NamespaceActions">Actions of every incident in the namespace (for cooldowns, budgets, the breaker).</param>
/// <param name="ActingIncidents">Incidents under the policy that are Mitigating now.</param>
/// <param name="Actions">The target's HPA and flag values, for Scale and FeatureFlag steps; null: none observed.</param>
/// <param name="GitOps">The target's GitOps owner, when a GitOps tool applies it; null: none.</param>
/// <param name="PersonsSeverity">The severity a person set (spec.regrade); while set, the operator does not re-grade.</param>
/// <param name="GitOpsPolicy">The policy's spec.gitops; null: the defaults (pause the owner, write nothing back).</param>
public sealed record IncidentContext(
    string IncidentName,
    string IncidentNamespace,
    IReadOnlyCollection<string> Approvals,
    IncidentStatus Status,
    RunbookSpec Runbook,
    EffectivePolicy Policy,
    DetectionInput Observed,
    DetectionResult Detection,
    RevisionHistory History,
    IReadOnlyList<ActionHistoryEntry> NamespaceActions,
    IReadOnlyCollection<string> ActingIncidents,
    Actions.ActionObservations? Actions = null,
    GitOps.GitOpsObservation? GitOps = null,
    GitOpsPolicy? GitOpsPolicy = null,
    Probes.ProbeFacts? Probes = null,
    Severity? PersonsSeverity = null);
