namespace IncidentResponder.Simulator.Selectors;

/// <summary>
/// A parsed <c>labelSelector</c> query: equality (<c>a=b</c>, <c>a==b</c>, <c>a!=b</c>), set-based (<c>a in (x,y)</c>,
/// <c>a notin (x)</c>) and existence (<c>a</c>, <c>!a</c>) requirements joined by commas (AND).
/// </summary>
public sealed class LabelSelector
{
    private enum Op { Equals, NotEquals, In, NotIn, Exists, DoesNotExist }

    private sealed record Requirement(string Key, Op Op, IReadOnlyList<string> Values);

    private readonly IReadOnlyList<Requirement> _requirements;

    private LabelSelector(IReadOnlyList<Requirement> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public bool IsEverything => _requirements.Count == 0;

    /// <summary>Parses the query form. Throws <see cref="FormatException"/> with the reason when it is malformed.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<Requirement>();
        foreach (var term in SplitTopLevel(text))
        {
            var part = term.Trim();
            if (part.Length == 0)
            {
                continue;
            }

            requirements.Add(ParseTerm(part));
        }

        return new LabelSelector(requirements);
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var r in _requirements)
        {
            var has = labels.TryGetValue(r.Key, out var value);
            var ok = r.Op switch
            {
                Op.Equals => has && value == r.Values[0],
                Op.NotEquals => !has || value != r.Values[0],
                Op.In => has && r.Values.Contains(value!),
                Op.NotIn => !has || !r.Values.Contains(value!),
                Op.Exists => has,
                Op.DoesNotExist => !has,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static Requirement ParseTerm(string part)
    {
        if (part.StartsWith('!'))
        {
            return new Requirement(ValidKey(part[1..].Trim()), Op.DoesNotExist, []);
        }

        var notIn = part.IndexOf(" notin ", StringComparison.Ordinal);
        if (notIn > 0)
        {
            return new Requirement(ValidKey(part[..notIn].Trim()), Op.NotIn, ParseSet(part[(notIn + 7)..]));
        }

        var inAt = part.IndexOf(" in ", StringComparison.Ordinal);
        if (inAt > 0)
        {
            return new Requirement(ValidKey(part[..inAt].Trim()), Op.In, ParseSet(part[(inAt + 4)..]));
        }

        foreach (var (token, op) in new[] { ("!=", Op.NotEquals), ("==", Op.Equals), ("=", Op.Equals) })
        {
            var at = part.IndexOf(token, StringComparison.Ordinal);
            if (at > 0)
            {
                return new Requirement(ValidKey(part[..at].Trim()), op, [part[(at + token.Length)..].Trim()]);
            }
        }

        return new Requirement(ValidKey(part), Op.Exists, []);
    }

    private static string ValidKey(string key)
    {
        if (key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or '=' or '!' or ','))
        {
            throw new FormatException($"unable to parse requirement: invalid label key \"{key}\"");
        }

        return key;
    }

    private static List<string> ParseSet(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith('(') || !trimmed.EndsWith(')'))
        {
            throw new FormatException($"unable to parse requirement: found '{trimmed}', expected: '('");
        }

        return trimmed[1..^1].Split(',').Select(v => v.Trim()).Where(v => v.Length > 0).ToList();
    }

    /// <summary>Splits on commas that are not inside a <c>( )</c> value set.</summary>
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..];
    }
}
