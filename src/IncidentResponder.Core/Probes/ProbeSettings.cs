using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Time;

namespace IncidentResponder.Core.Probes;

/// <summary>An <see cref="HttpProbe"/> with its defaults filled in: what the shell GETs and what the judge expects.</summary>
public sealed record ProbeSettings(string? Service, string? Port, string Path, string? Url, int ExpectStatus, TimeSpan LatencyBudget, TimeSpan Timeout)
{
    public static readonly TimeSpan DefaultLatencyBudget = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    public const int DefaultExpectStatus = 200;

    public static ProbeSettings From(HttpProbe probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return new ProbeSettings(
            probe.Service,
            probe.Port,
            (probe.Path ?? string.Empty).TrimStart('/'),
            probe.Url,
            probe.ExpectStatus ?? DefaultExpectStatus,
            GoDuration.ParseOrDefault(probe.LatencyBudget, DefaultLatencyBudget),
            GoDuration.ParseOrDefault(probe.Timeout, DefaultTimeout));
    }

    /// <summary>What is probed, as a person reads it: <c>service web:http/healthz</c> or the URL.</summary>
    public string Describe() => Url ?? $"service {Service}{(Port is null ? string.Empty : ":" + Port)}/{Path}";
}

/// <summary>A policy probe's schedule and threshold, defaults filled in.</summary>
public sealed record PolicyProbeSettings(string Name, ProbeSettings Probe, TimeSpan Interval, int FailureThreshold)
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);
    public const int DefaultFailureThreshold = 3;

    public static PolicyProbeSettings From(PolicyProbe probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return new PolicyProbeSettings(probe.Name, ProbeSettings.From(probe), GoDuration.ParseOrDefault(probe.Interval, DefaultInterval),
            probe.FailureThreshold ?? DefaultFailureThreshold);
    }
}
