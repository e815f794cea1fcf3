using System.Text.RegularExpressions;

namespace IncidentResponder.Core.Evidence;

/// <summary>How many log lines matched one error pattern, with one (redacted) example line.</summary>
public sealed record ErrorCount(string Pattern, int Count, string Example);

/// <summary>
/// The playbook's "count errors by type", without grep: each line counts once, under the most specific pattern it matches
/// (an OOM line that also says "error" is an OOM), so the table reads as "what kind of failure, how often".
/// </summary>
public static partial class ErrorPatterns
{
    public const int MaxExampleLength = 300;

    [GeneratedRegex(@"(?i)\b(?:out of memory|oomkilled|oom[- ]?kill(?:ed|er)?|cannot allocate memory|java\.lang\.OutOfMemoryError|heap usage at 9\d%)", RegexOptions.CultureInvariant)]
    private static partial Regex Oom();

    [GeneratedRegex(@"(?i)\bpanic\b|^goroutine \d+ \[", RegexOptions.CultureInvariant)]
    private static partial Regex Panic();

    [GeneratedRegex(@"(?i)\b(?:fatal|critical|crit)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Fatal();

    [GeneratedRegex(@"\b[A-Z]\w*(?:Exception|Error)\b|(?i)\bexception\b|\btraceback \(most recent call last\)", RegexOptions.CultureInvariant)]
    private static partial Regex Exception();

    [GeneratedRegex(@"(?i)\b(?:timed out|timeout|deadline exceeded)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Timeout();

    [GeneratedRegex(@"(?i)\b(?:error|err|failed|failure)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Error();

    /// <summary>The patterns, most specific first; a line counts under the first that matches.</summary>
    public static IReadOnlyList<(string Name, Regex Pattern)> Ordered { get; } =
    [
        ("oom", Oom()),
        ("panic", Panic()),
        ("fatal", Fatal()),
        ("exception", Exception()),
        ("timeout", Timeout()),
        ("error", Error()),
    ];

    /// <summary>The name of the first pattern <paramref name="line"/> matches, or null for an ordinary line.</summary>
    public static string? Classify(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        foreach (var (name, pattern) in Ordered)
        {
            if (pattern.IsMatch(line))
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>Counts by pattern, in pattern order, only patterns that matched; examples are the first matching line.</summary>
    public static IReadOnlyList<ErrorCount> Count(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var counts = new Dictionary<string, (int Count, string Example)>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (Classify(line) is not { } name)
            {
                continue;
            }

            counts[name] = counts.TryGetValue(name, out var seen) ? (seen.Count + 1, seen.Example) : (1, Shorten(line));
        }

        return [.. Ordered.Where(p => counts.ContainsKey(p.Name)).Select(p => new ErrorCount(p.Name, counts[p.Name].Count, counts[p.Name].Example))];
    }

    private static string Shorten(string line) => line.Length <= MaxExampleLength ? line : line[..MaxExampleLength] + "…";
}
