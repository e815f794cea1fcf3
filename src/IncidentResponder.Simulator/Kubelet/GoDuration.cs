using System.Globalization;
using System.Text;

namespace IncidentResponder.Simulator.Kubelet;

/// <summary>Formats durations the way Go's <c>time.Duration.String()</c> does (<c>10s</c>, <c>1m20s</c>, <c>5m0s</c>, <c>1.5s</c>).</summary>
public static class GoDuration
{
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        var builder = new StringBuilder();
        if (duration.TotalHours >= 1)
        {
            builder.Append(((long)duration.TotalHours).ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (duration.TotalMinutes >= 1)
        {
            builder.Append(duration.Minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        var seconds = duration.Seconds + (duration.Milliseconds / 1000.0);
        builder.Append(seconds.ToString("0.###", CultureInfo.InvariantCulture)).Append('s');
        return builder.ToString();
    }
}
