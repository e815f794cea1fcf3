using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Guardrails;
using IncidentResponder.Core.Policy;

namespace IncidentResponder.Core.Tests.Fixtures;

/// <summary>A policy for namespace "shop" in Automatic mode, and guardrail inputs for incident "inc-1" rolling back "web".</summary>
public static class Guards
{
    public static readonly EffectivePolicy ShopPolicy = new(
        "default", Cluster.Namespace, DetectionThresholds.Default,
        GuardrailLimits.Default with
        {
            MaxActionsPerTarget = new Budget(3, TimeSpan.FromHours(1)),
            MaxActionsPerNamespace = new Budget(5, TimeSpan.FromHours(1)),
        },
        new ModeTable(RemediationMode.Automatic), false, new Dictionary<SignalType, Severity>());

    public static GuardrailInput Input(
        ActionType action = ActionType.RolloutUndo,
        EffectivePolicy? policy = null,
        Severity severity = Severity.Sev2,
        IReadOnlyList<ActionHistoryEntry>? history = null,
        IReadOnlyCollection<string>? approvals = null,
        IReadOnlyCollection<string>? acting = null) =>
        new(policy ?? ShopPolicy, "inc-1", Cluster.Namespace, severity, "rollback", action, Cluster.Deployment(),
            approvals ?? [], history ?? [], acting ?? [], Clock.T0);

    /// <summary>An action of some incident, <paramref name="minutesAgo"/> before T0.</summary>
    public static ActionHistoryEntry Past(double minutesAgo, ActionPhase phase = ActionPhase.Succeeded, string target = Cluster.Name,
        string incident = "inc-0", ActionType type = ActionType.RolloutUndo, string step = "rollback") =>
        new(incident, target, step, type, phase, Clock.T0.AddMinutes(-minutesAgo));
}
