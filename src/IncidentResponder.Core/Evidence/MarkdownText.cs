using System.Globalization;
using System.Text;

namespace IncidentResponder.Core.Evidence;

/// <summary>The few Markdown rules the evidence and post-mortem renderings need, so untrusted text cannot break a table or a fence.</summary>
public static class MarkdownText
{
    /// <summary>Text safe inside a table cell: one line, pipes escaped.</summary>
    public static string Cell(string? text) =>
        string.IsNullOrEmpty(text) ? " " : text.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>Inline code; backticks in the text widen the delimiter as CommonMark allows.</summary>
    public static string Code(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var fence = new string('`', LongestRun(text, '`') + 1);
        return fence.Length > 1 || text.StartsWith('`') || text.EndsWith('`') ? $"{fence} {text} {fence}" : $"`{text}`";
    }

    /// <summary>A fenced block that no line of <paramref name="lines"/> can close early.</summary>
    public static void Fenced(StringBuilder output, string info, IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(output);
        var list = lines.ToList();
        var fence = new string('`', Math.Max(3, list.Select(l => LongestRun(l, '`')).DefaultIfEmpty(0).Max() + 1));
        output.Append(fence).Append(info).Append('\n');
        foreach (var line in list)
        {
            output.Append(line).Append('\n');
        }

        output.Append(fence).Append('\n');
    }

    /// <summary>UTC time as incident timelines show it, with seconds (incidents here last seconds to minutes).</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    public static string DateTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static int LongestRun(string text, char c)
    {
        int longest = 0, current = 0;
        foreach (var ch in text)
        {
            current = ch == c ? current + 1 : 0;
            longest = Math.Max(longest, current);
        }

        return longest;
    }
}
