using System.Globalization;
using System.Text;

namespace IncidentResponder.Simulator.Metrics;

/// <summary>
/// Prometheus' text exposition format (version 0.0.4): one <c># HELP</c> and <c># TYPE</c> line per family, then
/// one line per sample with escaped label values. Small enough to write by hand: it is a format, not a library.
/// </summary>
public sealed class ExpositionWriter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new();

    public void Family(string name, string type, string help) =>
        _text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    public void Sample(string name, IEnumerable<(string Name, string Value)> labels, double value)
    {
        _text.Append(name);
        var first = true;
        foreach (var (label, text) in labels)
        {
            _text.Append(first ? '{' : ',').Append(label).Append("=\"").Append(Escape(text)).Append('"');
            first = false;
        }

        _text.Append(first ? " " : "} ").Append(Format(value)).Append('\n');
    }

    public override string ToString() => _text.ToString();

    /// <summary>A float as Prometheus reads it: shortest round-trip digits, <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.</summary>
    public static string Format(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
