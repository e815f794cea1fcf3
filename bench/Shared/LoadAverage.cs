namespace IncidentResponder.Bench;

/// <summary>
/// The machine's load average, printed with the results: on a small machine shared with builds and tests the
/// figures are only comparable between runs made under similar load.
/// </summary>
internal static class LoadAverage
{
    public static string Read()
    {
        const string path = "/proc/loadavg";
        if (!File.Exists(path))
        {
            return "unknown";
        }

        var fields = File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 3 ? string.Join(" / ", fields[..3]) : "unknown";
    }
}
