using IncidentResponder.Core.Incidents;

namespace IncidentResponder.Operator.Actions;

/// <summary>What performing one effect came to: the incident events to record and, for an escalation, the notice for people.</summary>
/// <param name="Halt">The effects after this one must not run (a pause that failed: acting would be undone).</param>
public sealed record EffectOutcome(IReadOnlyList<IncidentEvent> Events, string? EscalationNotice = null, bool Halt = false)
{
    public static EffectOutcome None { get; } = new([]);

    public static EffectOutcome Escalation(string notice) => new([], notice);
}
