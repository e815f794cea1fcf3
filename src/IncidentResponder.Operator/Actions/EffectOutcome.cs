using IncidentResponder.Core.Incidents;

namespace IncidentResponder.Operator.Actions;

/// <summary>What performing one effect came to: the incident events to record and, for an escalation, the notice for people.</summary>
public sealed record EffectOutcome(IReadOnlyList<IncidentEvent> Events, string? EscalationNotice = null)
{
    public static EffectOutcome None { get; } = new([]);

    public static EffectOutcome Escalation(string notice) => new([], notice);
}
