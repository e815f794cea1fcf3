using System.Globalization;
using System.Text.RegularExpressions;
using k8s.Models;

namespace IncidentResponder.Simulator.Kubelet;

/// <summary>The failure a pod's annotation asks the simulated kubelet to produce.</summary>
public enum FaultKind
{
    None,
    CrashLoop,
    ImagePull,
    Oom,
    Unready,
}

/// <summary>
/// Fault injection through pod annotations: <c>sim.incidentresponder.dev/fault</c> selects the fault and optional
/// <c>sim.incidentresponder.dev/fault-after</c> (a Go duration such as <c>30s</c> or <c>1m30s</c>) delays it, counted
/// from when the kubelet first sees the annotation. Template annotations are copied to pods, so the same annotation on
/// a Deployment's template makes a failing revision.
/// </summary>
public sealed partial record FaultSpec(FaultKind Kind, TimeSpan After)
{
    public const string FaultAnnotation = "sim.incidentresponder.dev/fault";
    public const string FaultAfterAnnotation = "sim.incidentresponder.dev/fault-after";

    public static FaultSpec None { get; } = new(FaultKind.None, TimeSpan.Zero);

    public static FaultSpec FromPod(V1Pod pod)
    {
        var annotations = pod.Metadata.Annotations;
        if (annotations is null || !annotations.TryGetValue(FaultAnnotation, out var value))
        {
            return None;
        }

        var kind = Parse(value).Kind;
        var after = annotations.TryGetValue(FaultAfterAnnotation, out var text) && TryParseGoDuration(text, out var parsed)
            ? parsed
            : TimeSpan.Zero;
        return new FaultSpec(kind, after);
    }

    /// <summary>A fault name as the annotation takes it (<c>crashloop</c>, <c>imagepull</c>, <c>oom</c>, <c>unready</c>), not delayed.</summary>
    public static FaultSpec Parse(string value) => new(value.Trim().ToLowerInvariant() switch
    {
        "crashloop" => FaultKind.CrashLoop,
        "imagepull" => FaultKind.ImagePull,
        "oom" => FaultKind.Oom,
        "unready" => FaultKind.Unready,
        _ => FaultKind.None,
    }, TimeSpan.Zero);

    /// <summary>Parses Go's <c>time.ParseDuration</c> syntax: a sequence of number+unit (h, m, s, ms, us, µs, ns).</summary>
    public static bool TryParseGoDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var trimmed = text.Trim();
        if (trimmed == "0")
        {
            return true;
        }

        var matches = DurationPart().Matches(trimmed);
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != trimmed)
        {
            return false;
        }

        foreach (Match match in matches)
        {
            var number = double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
            duration += match.Groups["u"].Value switch
            {
                "h" => TimeSpan.FromHours(number),
                "m" => TimeSpan.FromMinutes(number),
                "s" => TimeSpan.FromSeconds(number),
                "ms" => TimeSpan.FromMilliseconds(number),
                "us" or "µs" => TimeSpan.FromMicroseconds(number),
                _ => TimeSpan.FromTicks((long)(number / 100)),
            };
        }

        return true;
    }

    [GeneratedRegex(@"(?<n>\d+(\.\d+)?)(?<u>ns|us|µs|ms|h|m|s)")]
    private static partial Regex DurationPart();
}
