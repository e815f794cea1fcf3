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

    /// <summary>An application fault: the pod stays Running and Ready but answers a share of requests with 5xx.</summary>
    Errors,

    /// <summary>An application fault: the pod stays Running and Ready but every request takes longer.</summary>
    Slow,
}

/// <summary>
/// Fault injection through pod annotations: <c>sim.incidentresponder.dev/fault</c> selects the fault and optional
/// <c>sim.incidentresponder.dev/fault-after</c> (a Go duration such as <c>30s</c> or <c>1m30s</c>) delays it, counted
/// from when the kubelet first sees the annotation. Template annotations are copied to pods, so the same annotation on
/// a Deployment's template makes a failing revision. The application faults <c>errors</c> and <c>slow</c> are invisible
/// in pod status, as a bad release often is: <c>sim.incidentresponder.dev/fault-ratio</c> (default 0.3) is the share
/// of requests answered 5xx and <c>sim.incidentresponder.dev/fault-latency</c> (a Go duration, default 2.5s) the time
/// added to every request; the metrics and the service proxy show them (fault-after does not delay them).
/// </summary>
public sealed partial record FaultSpec(FaultKind Kind, TimeSpan After)
{
    public const string FaultAnnotation = "sim.incidentresponder.dev/fault";
    public const string FaultAfterAnnotation = "sim.incidentresponder.dev/fault-after";
    public const string FaultRatioAnnotation = "sim.incidentresponder.dev/fault-ratio";
    public const string FaultLatencyAnnotation = "sim.incidentresponder.dev/fault-latency";

    /// <summary>
    /// The memory an <c>oom</c> pod needs (a quantity such as <c>200Mi</c>): with it, the fault kills only when a
    /// container's memory limit is below that, so raising the limit to it cures the pod, as it cures a job whose input grew.
    /// </summary>
    public const string MemoryNeededAnnotation = "sim.incidentresponder.dev/memory-needed";

    public const double DefaultErrorRatio = 0.3;

    /// <summary>Above the 2 s the playbook's HighLatency alert watches, so a slow revision is one an alert catches.</summary>
    public static readonly TimeSpan DefaultLatency = TimeSpan.FromSeconds(2.5);

    public static FaultSpec None { get; } = new(FaultKind.None, TimeSpan.Zero);

    /// <summary>The share of requests an <see cref="FaultKind.Errors"/> pod answers with 5xx (0 for every other fault).</summary>
    public double ErrorRatio { get; init; }

    /// <summary>The time a <see cref="FaultKind.Slow"/> pod adds to every request (zero for every other fault).</summary>
    public TimeSpan Latency { get; init; }

    public static FaultSpec FromPod(V1Pod pod)
    {
        var annotations = pod.Metadata.Annotations;
        if (annotations is null || !annotations.TryGetValue(FaultAnnotation, out var value))
        {
            return None;
        }

        var spec = Parse(value);
        var after = annotations.TryGetValue(FaultAfterAnnotation, out var text) && TryParseGoDuration(text, out var parsed)
            ? parsed
            : TimeSpan.Zero;
        spec = spec with { After = after };
        if (spec.Kind == FaultKind.Oom && annotations.TryGetValue(MemoryNeededAnnotation, out var needed) && FitsIn(pod, needed))
        {
            return None;
        }

        if (spec.Kind == FaultKind.Errors && annotations.TryGetValue(FaultRatioAnnotation, out var ratioText)
            && double.TryParse(ratioText, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) && ratio is >= 0 and <= 1)
        {
            spec = spec with { ErrorRatio = ratio };
        }

        if (spec.Kind == FaultKind.Slow && annotations.TryGetValue(FaultLatencyAnnotation, out var latencyText)
            && TryParseGoDuration(latencyText, out var latency))
        {
            spec = spec with { Latency = latency };
        }

        return spec;
    }

    /// <summary>
    /// A fault name as the annotation takes it (<c>crashloop</c>, <c>imagepull</c>, <c>oom</c>, <c>unready</c>,
    /// <c>errors</c>, <c>slow</c>), not delayed, application faults with their default ratio or latency.
    /// </summary>
    public static FaultSpec Parse(string value) => value.Trim().ToLowerInvariant() switch
    {
        "crashloop" => new(FaultKind.CrashLoop, TimeSpan.Zero),
        "imagepull" => new(FaultKind.ImagePull, TimeSpan.Zero),
        "oom" => new(FaultKind.Oom, TimeSpan.Zero),
        "unready" => new(FaultKind.Unready, TimeSpan.Zero),
        "errors" => new(FaultKind.Errors, TimeSpan.Zero) { ErrorRatio = DefaultErrorRatio },
        "slow" => new(FaultKind.Slow, TimeSpan.Zero) { Latency = DefaultLatency },
        _ => None,
    };

    /// <summary>Every container of the pod has a memory limit of at least <paramref name="needed"/> (an unreadable quantity fits nothing).</summary>
    private static bool FitsIn(V1Pod pod, string needed)
    {
        decimal need;
        try
        {
            need = new ResourceQuantity(needed).ToDecimal();
        }
        catch (FormatException)
        {
            return false;
        }

        return pod.Spec?.Containers is { Count: > 0 } containers && containers.All(c =>
            c.Resources?.Limits is { } limits && limits.TryGetValue("memory", out var limit) && limit.ToDecimal() >= need);
    }

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
