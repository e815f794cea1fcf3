using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace IncidentResponder.Core.Time;

/// <summary>
/// Go-style durations ("30s", "1h30m", "1.5h", "500ms"), the format Kubernetes users write in specs and read in
/// status. Parsing accepts exactly what the CRD schema's pattern admits (non-negative, unit on every number);
/// formatting matches Go's <c>time.Duration.String()</c> so status fields look like the rest of the cluster.
/// </summary>
public static partial class GoDuration
{
    [GeneratedRegex(@"\G([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h)", RegexOptions.CultureInvariant)]
    private static partial Regex Component();

    /// <summary>Parses a Go duration; <c>null</c> or empty gives <paramref name="fallback"/> (the API default).</summary>
    public static TimeSpan ParseOrDefault(string? text, TimeSpan fallback) =>
        string.IsNullOrEmpty(text) ? fallback : Parse(text);

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"'{text}' is not a duration such as 30s, 5m or 1h30m");

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (text == "0")
        {
            return true; // Go accepts a bare zero.
        }

        decimal ticks = 0;
        var position = 0;
        while (position < text.Length)
        {
            var match = Component().Match(text, position);
            if (!match.Success)
            {
                return false;
            }

            // A number too large for decimal (or a sum past it) is past TimeSpan's range anyway: refused, not thrown.
            if (!decimal.TryParse(match.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            try
            {
                ticks += number * TicksPerUnit(match.Groups[2].Value);
            }
            catch (OverflowException)
            {
                return false;
            }

            if (ticks > TimeSpan.MaxValue.Ticks)
            {
                return false;
            }

            position += match.Length;
        }

        value = TimeSpan.FromTicks((long)ticks);
        return true;
    }

    private static decimal TicksPerUnit(string unit) => unit switch
    {
        "ns" => 0.01m,
        "us" or "µs" => TimeSpan.TicksPerMicrosecond,
        "ms" => TimeSpan.TicksPerMillisecond,
        "s" => TimeSpan.TicksPerSecond,
        "m" => TimeSpan.TicksPerMinute,
        _ => TimeSpan.TicksPerHour,
    };

    /// <summary>Formats as Go does: <c>0s</c>, <c>1.5s</c>, <c>45s</c>, <c>5m0s</c>, <c>1h2m3s</c>, <c>250ms</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            return "-" + Format(duration.Duration());
        }

        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        if (duration < TimeSpan.FromSeconds(1))
        {
            // Go switches to the largest sub-second unit below one second.
            return duration.Ticks >= TimeSpan.TicksPerMillisecond
                ? Fraction(duration.Ticks, TimeSpan.TicksPerMillisecond) + "ms"
                : Fraction(duration.Ticks, TimeSpan.TicksPerMicrosecond) + "µs";
        }

        var builder = new StringBuilder();
        var hours = (long)duration.TotalHours;
        if (hours > 0)
        {
            builder.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (hours > 0 || duration.Minutes > 0)
        {
            builder.Append(duration.Minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        var secondTicks = duration.Ticks % TimeSpan.TicksPerMinute;
        builder.Append(Fraction(secondTicks, TimeSpan.TicksPerSecond)).Append('s');
        return builder.ToString();
    }

    private static string Fraction(long ticks, long ticksPerUnit) =>
        ((decimal)ticks / ticksPerUnit).ToString("0.#######", CultureInfo.InvariantCulture);
}
