using System.Globalization;
using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Core.Metrics;

/// <summary>One check judged on one Deployment at one instant.</summary>
/// <param name="Holds">The check holds now (and, after a rollout, the new revision is to blame).</param>
/// <param name="Crossing">The serving revision's value is past the threshold, whoever is to blame: the check has not cleared.</param>
/// <param name="Description">The value, the threshold and the comparison, in words, for the incident and the timeline.</param>
public sealed record CheckVerdict(bool Holds, bool Crossing, double? Value, string Description);

/// <summary>
/// Whether a check holds. On a recent rollout the new revision is compared with the old one where the query is per
/// revision: the new one is blamed only when it crosses the threshold and is worse than the old one (a dependency that
/// fails both revisions is not the rollout's doing). Without an old value (no pods left, or a query that cannot tell
/// revisions apart), the threshold alone decides.
/// </summary>
public static class MetricCheckEvaluator
{
    public static CheckVerdict Evaluate(MetricCheck check, double? current, double? previous)
    {
        ArgumentNullException.ThrowIfNull(check);
        var threshold = Threshold(check);
        if (current is not { } value)
        {
            return new CheckVerdict(false, false, null, $"{check.Name}: no data");
        }

        var crossing = Crosses(check, value);
        var worse = previous is not { } old || (WorstIsHighest(check) ? value > old : value < old);
        var words = $"{check.Name}: {Format(value)} {(WorstIsHighest(check) ? "above" : "below")} {Format(threshold)}";
        var description = !crossing
            ? $"{check.Name}: {Format(value)}, within {Format(threshold)}"
            : previous is { } before
                ? $"{words} (previous revision {Format(before)}{(worse ? string.Empty : ", as bad or worse: not the rollout")})"
                : words;
        return new CheckVerdict(crossing && worse, crossing, value, description);
    }

    /// <summary>Of several series, the highest is the worst for an 'above' check, the lowest for a 'below' one.</summary>
    public static bool WorstIsHighest(MetricCheck check) => check?.Above is not null;

    public static double Threshold(MetricCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        return check.Above ?? check.Below ?? 0;
    }

    public static bool Crosses(MetricCheck check, double value) =>
        WorstIsHighest(check) ? value > Threshold(check) : value < Threshold(check);

    public static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
