using IncidentResponder.Core.Time;

namespace IncidentResponder.Core.Probes;

/// <summary>What one GET gave: the status (none when it never answered), how long it took, and the error when it failed to answer.</summary>
public sealed record ProbeAnswer(int? Status, TimeSpan Latency, string? Error = null);

/// <summary>A probe's pass or fail, with the facts a person needs to believe it (status, latency, budget).</summary>
public sealed record ProbeVerdict(bool Passed, string Reason, int? Status, TimeSpan Latency, TimeSpan Budget);

/// <summary>Decides whether a probe passed: the expected status, within the latency budget. Nothing else counts.</summary>
public static class ProbeJudge
{
    public static ProbeVerdict Judge(ProbeSettings probe, ProbeAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(answer);
        var what = $"GET {probe.Describe()}";
        var took = GoDuration.Format(answer.Latency);
        var budget = GoDuration.Format(probe.LatencyBudget);
        if (answer.Status is not { } status)
        {
            return new ProbeVerdict(false, $"{what} got no answer after {took}: {answer.Error ?? "unreachable"}", null, answer.Latency, probe.LatencyBudget);
        }

        if (status != probe.ExpectStatus)
        {
            return new ProbeVerdict(false, $"{what} answered {status} (expected {probe.ExpectStatus}) in {took}", status, answer.Latency, probe.LatencyBudget);
        }

        return answer.Latency > probe.LatencyBudget
            ? new ProbeVerdict(false, $"{what} answered {status} in {took}, over its {budget} budget", status, answer.Latency, probe.LatencyBudget)
            : new ProbeVerdict(true, $"{what} answered {status} in {took}, within its {budget} budget", status, answer.Latency, probe.LatencyBudget);
    }
}
