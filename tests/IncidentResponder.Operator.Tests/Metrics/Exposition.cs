using System.Globalization;
using System.Text.RegularExpressions;

namespace IncidentResponder.Operator.Tests.Metrics;

/// <summary>One sample of the Prometheus text format: <c>name{label="value",...} 1</c>.</summary>
internal sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public bool Has(string label, string value) => Labels.TryGetValue(label, out var actual) && actual == value;
}

/// <summary>The samples of a scrape, parsed just enough to compare values (label values here never hold quotes or commas).</summary>
internal static partial class Exposition
{
    public static IReadOnlyList<Sample> Parse(string text) =>
        [.. text.Split('\n')
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => SampleLine().Match(line))
            .Where(match => match.Success)
            .Select(match => new Sample(
                match.Groups["name"].Value,
                LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(l => l.Groups["key"].Value, l => l.Groups["value"].Value, StringComparer.Ordinal),
                double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)))];

    public static double Value(this IReadOnlyList<Sample> samples, string name, params (string Label, string Value)[] labels) =>
        samples.Single(s => s.Name == name && labels.All(l => s.Has(l.Label, l.Value)) && s.Labels.Count == labels.Length).Value;

    public static double Sum(this IReadOnlyList<Sample> samples, string name) => samples.Where(s => s.Name == name).Sum(s => s.Value);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})?\s+(?<value>\S+)")]
    private static partial Regex SampleLine();

    [GeneratedRegex("(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=\"(?<value>[^\"]*)\"")]
    private static partial Regex LabelPair();
}
