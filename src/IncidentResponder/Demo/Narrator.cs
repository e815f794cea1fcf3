using System.Globalization;
using System.Text;

namespace IncidentResponder.Demo;

/// <summary>
/// The demo's terminal output: phase headings, aligned setup facts, and story lines stamped with the time since the
/// bad rollout. Long details wrap under their line so nothing runs off an 100-column terminal.
/// </summary>
internal sealed class Narrator(TextWriter output)
{
    private const int Width = 100;
    private const string StampPadding = "         ";
    private DateTimeOffset? _origin;

    public void Title(string text)
    {
        output.WriteLine(text);
        output.Flush();
    }

    public void Heading(string text)
    {
        output.WriteLine();
        output.WriteLine(text);
        output.Flush();
    }

    public void Fact(string label, string value)
    {
        WriteWrapped($"  {label,-14} ", value);
        output.Flush();
    }

    /// <summary>From now on, story lines carry the time since <paramref name="origin"/>.</summary>
    public void StartClock(DateTimeOffset origin) => _origin = origin;

    public string Stamp(DateTimeOffset at)
    {
        var seconds = (at - (_origin ?? at)).TotalSeconds;
        return (seconds < 0 ? "-" : "+") + Math.Abs(seconds).ToString("0.0", CultureInfo.InvariantCulture) + "s";
    }

    public void Event(DateTimeOffset at, string text, params IEnumerable<string> details)
    {
        WriteWrapped($"  {Stamp(at),7}  ", text);
        foreach (var detail in details)
        {
            WriteWrapped("  " + StampPadding, detail);
        }

        output.Flush();
    }

    public void Plain(string text)
    {
        output.WriteLine(text);
        output.Flush();
    }

    private void WriteWrapped(string prefix, string text)
    {
        var indent = new string(' ', prefix.Length);
        var line = new StringBuilder(prefix);
        var empty = true;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!empty && line.Length + 1 + word.Length > Width)
            {
                output.WriteLine(line.ToString());
                line.Clear().Append(indent);
                empty = true;
            }

            line.Append(empty ? string.Empty : " ").Append(word);
            empty = false;
        }

        output.WriteLine(line.ToString());
    }
}
