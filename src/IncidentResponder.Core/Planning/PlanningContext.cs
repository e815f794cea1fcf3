using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Core.Planning;

/// <summary>The facts a step's <c>when</c> is matched against: the decision tree's questions, answered.</summary>
/// <param name="Signals">Signal types currently active on the incident.</param>
/// <param name="RecentRollout">"Was there a recent deployment?"</param>
public sealed record PlanningContext(IReadOnlyCollection<SignalType> Signals, bool RecentRollout, Severity Severity);

/// <summary>Does a step apply? Every stated part of its <c>when</c> must hold; an absent part holds.</summary>
public static class StepConditionMatcher
{
    public static bool Matches(StepCondition? when, PlanningContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (when is null)
        {
            return true;
        }

        return (when.Signals is not { Count: > 0 } signals || signals.Any(context.Signals.Contains))
            && (when.RecentRollout is not { } recent || recent == context.RecentRollout)
            && (when.MinSeverity is not { } minimum || Triage.SeverityClassifier.AtLeast(context.Severity, minimum));
    }
}
