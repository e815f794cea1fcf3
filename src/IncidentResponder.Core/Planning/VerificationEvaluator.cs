using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Time;

namespace IncidentResponder.Core.Planning;

/// <summary>The health facts verification checks, at one instant.</summary>
/// <param name="Available">Available=True with every replica updated and available.</param>
/// <param name="NewPodsReady">Every pod of the current revision is ready, and there are as many as desired.</param>
/// <param name="SignalPresent">A failure signal (pending or confirmed) is observed on the current revision.</param>
/// <param name="MetricHolding">A metrics check that raised a signal on the incident still holds (its signal has not cleared).</param>
public sealed record VerificationSnapshot(bool Available, bool NewPodsReady, bool SignalPresent, bool MetricHolding = false)
{
    /// <summary>The step's verify.httpProbe as judged now; null when it was not run (the HttpProbe check then does not pass).</summary>
    public Probes.ProbeVerdict? Probe { get; init; }
}

public enum VerificationOutcome
{
    /// <summary>Healthy for the whole window: the step worked.</summary>
    Passed,

    /// <summary>Not yet: keep watching.</summary>
    Waiting,

    /// <summary>The timeout passed before the window was met: the step did not help.</summary>
    Failed,
}

/// <param name="HealthySince">
/// Start of the current healthy stretch; the shell stores it with the action (Details) and passes it back, so the
/// window survives a restart.
/// </param>
public sealed record VerificationResult(VerificationOutcome Outcome, DateTimeOffset? HealthySince, string Reason);

/// <summary>Judges a step's verification: every check must pass continuously for the window, within the timeout.</summary>
public static class VerificationEvaluator
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    public static VerificationResult Evaluate(
        StepVerification? verify,
        VerificationSnapshot snapshot,
        DateTimeOffset startedAt,
        DateTimeOffset? healthySince,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var window = GoDuration.ParseOrDefault(verify?.Window, DefaultWindow);
        var timeout = GoDuration.ParseOrDefault(verify?.Timeout, DefaultTimeout);
        var checks = verify?.Checks is { Count: > 0 } listed ? listed : [VerificationCheck.Available, VerificationCheck.NoNewSignal];
        var failing = checks.Where(check => !Passes(check, snapshot)).ToList();

        DateTimeOffset? since = failing.Count == 0 ? healthySince ?? now : null;
        if (since is { } start && now - start >= window)
        {
            return new VerificationResult(VerificationOutcome.Passed, since,
                $"{string.Join(", ", checks)} held for {GoDuration.Format(now - start)}");
        }

        var what = failing.Count == 0
            ? $"healthy for {GoDuration.Format(now - since!.Value)} of {GoDuration.Format(window)}"
            : "not met: " + string.Join(", ", failing.Select(check => Unmet(check, snapshot)));
        if (now - startedAt >= timeout)
        {
            return new VerificationResult(VerificationOutcome.Failed, since, $"timed out after {GoDuration.Format(timeout)}; {what}");
        }

        return new VerificationResult(VerificationOutcome.Waiting, since, what);
    }

    /// <summary>A failing check's name; the probe's with what it saw (status, latency, budget), so the timeline says why.</summary>
    private static string Unmet(VerificationCheck check, VerificationSnapshot snapshot) =>
        check == VerificationCheck.HttpProbe ? $"HttpProbe ({snapshot.Probe?.Reason ?? "not probed yet"})" : check.ToString();

    private static bool Passes(VerificationCheck check, VerificationSnapshot snapshot) => check switch
    {
        VerificationCheck.Available => snapshot.Available,
        VerificationCheck.NewPodsReady => snapshot.NewPodsReady,
        VerificationCheck.Query => !snapshot.MetricHolding,
        VerificationCheck.HttpProbe => snapshot.Probe?.Passed == true,
        _ => !snapshot.SignalPresent,
    };
}
