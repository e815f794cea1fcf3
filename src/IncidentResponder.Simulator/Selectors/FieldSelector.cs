namespace IncidentResponder.Simulator.Selectors;

/// <summary>A parsed <c>fieldSelector</c> query: <c>a=b</c>, <c>a==b</c>, <c>a!=b</c> terms joined by commas (AND).</summary>
public sealed class FieldSelector
{
    private readonly IReadOnlyList<(string Field, string Value, bool Negated)> _terms;

    private FieldSelector(IReadOnlyList<(string, string, bool)> terms) => _terms = terms;

    public static FieldSelector Everything { get; } = new([]);

    public bool IsEverything => _terms.Count == 0;

    public IEnumerable<string> Fields => _terms.Select(t => t.Field);

    /// <summary>The value required by an equality term on <paramref name="field"/>, if there is one.</summary>
    public string? RequiredValue(string field) => _terms.FirstOrDefault(t => t.Field == field && !t.Negated).Value;

    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var terms = new List<(string, string, bool)>();
        foreach (var raw in text.Split(','))
        {
            var term = raw.Trim();
            if (term.Length == 0)
            {
                continue;
            }

            var (op, negated) = term.Contains("!=", StringComparison.Ordinal) ? ("!=", true)
                : term.Contains("==", StringComparison.Ordinal) ? ("==", false)
                : term.Contains('=', StringComparison.Ordinal) ? ("=", false)
                : throw new FormatException($"invalid selector: '{text}'; can't understand '{term}'");
            var at = term.IndexOf(op, StringComparison.Ordinal);
            terms.Add((term[..at].Trim(), UnescapeValue(term[(at + op.Length)..].Trim()), negated));
        }

        return new FieldSelector(terms);
    }

    public bool Matches(IReadOnlyDictionary<string, string> fields)
    {
        foreach (var (field, value, negated) in _terms)
        {
            fields.TryGetValue(field, out var actual);
            if ((actual ?? string.Empty) == value == negated)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Field selector values escape <c>\,</c>, <c>\=</c> and <c>\\</c>.</summary>
    private static string UnescapeValue(string value) =>
        value.Replace("\\,", ",", StringComparison.Ordinal).Replace("\\=", "=", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
}
