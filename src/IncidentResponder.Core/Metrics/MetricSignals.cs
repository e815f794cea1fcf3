using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Observations;

namespace IncidentResponder.Core.Metrics;

/// <summary>A metrics check's signal: its identity on the incident, and the signal that opens or joins one.</summary>
public static class MetricSignals
{
    /// <summary>What every metrics signal's fingerprint starts with, and no other detector's does.</summary>
    public const string Prefix = "metrics/";

    /// <summary>The incident reason of a metrics signal.</summary>
    public const string Reason = "MetricCheckHolding";

    /// <summary>One identity per target, check and (on the rollout path) revision: a later bad revision is a new signal.</summary>
    public static string Fingerprint(string target, string check, long? revision) =>
        $"{Prefix}{target}/{check}" + (revision is { } r ? $"/r{r}" : string.Empty);

    /// <summary>
    /// The signal for a check that held for its <c>for</c>. The message carries the filled query, the value and the
    /// threshold: the incident records what Prometheus said, not only that something was wrong.
    /// </summary>
    public static DetectedSignal Raise(string ns, string target, CheckQueries queries, CheckVerdict verdict, DateTimeOffset heldSince)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(verdict);
        var check = queries.Check;
        var revision = queries.OnRollout ? queries.Revision : null;
        var key = new SignalKey(ns, target, check.Signal, revision);
        var threshold = $"{(check.Above is not null ? "above" : "below")} {MetricCheckEvaluator.Format(MetricCheckEvaluator.Threshold(check))}";
        var message = $"metrics check {check.Name} held for {check.For ?? "1m"}: value {MetricCheckEvaluator.Format(verdict.Value ?? double.NaN)}, "
            + $"threshold {threshold}; {verdict.Description}; query: {queries.Current}";
        return new DetectedSignal(key, queries.OnRollout ? SignalPath.Rollout : SignalPath.StableRevision, Reason, message, ValueList<string>.Empty, 0, heldSince)
        {
            Identity = Fingerprint(target, check.Name, revision),
        };
    }
}
