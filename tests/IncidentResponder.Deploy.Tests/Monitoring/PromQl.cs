using System.Text.RegularExpressions;

namespace IncidentResponder.Deploy.Tests.Monitoring;

/// <summary>
/// The metric names a PromQL expression reads, found well enough for the expressions of this repository: strings,
/// label matchers, range selectors, grouping clauses and Grafana variables are removed, then every identifier that is
/// not a function call or a keyword is a metric name.
/// </summary>
public static partial class PromQl
{
    private static readonly HashSet<string> Keywords =
        ["by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan"];

    public static IReadOnlySet<string> MetricNames(string expression)
    {
        var text = StringLiteral().Replace(expression, "\"\"");
        text = GrafanaVariable().Replace(text, "1m");
        text = LabelMatchers().Replace(text, "{}");
        text = RangeSelector().Replace(text, string.Empty);
        text = GroupingClause().Replace(text, " ");
        return Identifier().Matches(text)
            .Where(m => !Keywords.Contains(m.Value))
            .Select(m => m.Value)
            .ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\$\{?\w+\}?")]
    private static partial Regex GrafanaVariable();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex RangeSelector();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex GroupingClause();

    /// <summary>An identifier not glued to a number (1e3, 5m) and not followed by "(" (a function).</summary>
    [GeneratedRegex(@"(?<![A-Za-z0-9_:.])[A-Za-z_:][A-Za-z0-9_:]*(?!\s*\()(?![A-Za-z0-9_:])")]
    private static partial Regex Identifier();
}
