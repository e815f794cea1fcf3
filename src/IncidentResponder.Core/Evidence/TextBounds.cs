using System.Text;

namespace IncidentResponder.Core.Evidence;

/// <summary>Keeps the END of a log (the lines before a crash matter most) within a line count and a byte budget.</summary>
public static class TextBounds
{
    /// <summary>A line cut to <paramref name="maxLength"/> characters, marked so a reader knows it was cut.</summary>
    public static string Cut(string line, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(line);
        return line.Length <= maxLength ? line : line[..maxLength] + " …[cut]";
    }

    /// <summary>The last lines that fit both limits, and how many earlier lines were left out.</summary>
    public static (IReadOnlyList<string> Lines, int Omitted) Tail(IReadOnlyList<string> lines, int maxLines, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var kept = new List<string>();
        var bytes = 0;
        for (var i = lines.Count - 1; i >= 0 && kept.Count < maxLines; i--)
        {
            var size = Encoding.UTF8.GetByteCount(lines[i]) + 1;
            if (bytes + size > maxBytes)
            {
                break;
            }

            bytes += size;
            kept.Add(lines[i]);
        }

        kept.Reverse();
        return (kept, lines.Count - kept.Count);
    }

    public static int Bytes(IEnumerable<string> lines) => lines.Sum(l => Encoding.UTF8.GetByteCount(l) + 1);
}
