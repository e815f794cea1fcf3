using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Observations;

namespace IncidentResponder.Core.Jobs;

/// <summary>What the detector found about a CronJob's runs.</summary>
/// <param name="Signal">The OOMKilled signal, when the thresholds are met; null otherwise.</param>
/// <param name="FailedRuns">The failed runs in a row, newest first, on the current template (the evidence).</param>
/// <param name="LastRun">The newest finished run on the current template, if any: its outcome is the CronJob's health.</param>
public sealed record CronJobDetection(DetectedSignal? Signal, IReadOnlyList<JobRun> FailedRuns, JobRun? LastRun)
{
    /// <summary>The newest finished run of the current template succeeded: what "the next run succeeded" means.</summary>
    public bool Healthy => LastRun?.Outcome == JobRunOutcome.Succeeded;
}

/// <summary>
/// OOM kills of a CronJob across its runs (<see cref="CronJobThresholds"/> says when they count). Needs no hold: a
/// finished run does not flap, so the signal is confirmed as soon as the run that meets the threshold has failed.
/// </summary>
public static class CronJobFailureDetector
{
    /// <summary>The reason every CronJob signal carries.</summary>
    public const string Reason = "JobsOOMKilled";

    public static CronJobDetection Detect(CronJobObservation cronJob, IReadOnlyList<JobRun> runs, CronJobThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(cronJob);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(thresholds);
        // The finished runs since the job template last changed: newest first, up to the first run of another template.
        // A run of an older template says nothing about this one, even when the template is back to that one (a raise
        // set back on resolve must not find the runs that failed before the raise and open the incident again).
        var finished = runs
            .Where(r => r.Outcome != JobRunOutcome.Running)
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Name, StringComparer.Ordinal)
            .TakeWhile(r => cronJob.Template is { } template && r.Template.SameTemplateAs(template))
            .ToList();
        var failed = finished.TakeWhile(r => r.Outcome == JobRunOutcome.Failed).ToList();
        var last = finished.FirstOrDefault();
        var opens = failed.Count > 0 && (failed[0].OomKilled || (failed.Count >= thresholds.ConsecutiveFailedRuns && failed.Exists(r => r.OomKilled)));
        return new CronJobDetection(opens ? Signal(cronJob, failed) : null, failed, last);
    }

    private static DetectedSignal Signal(CronJobObservation cronJob, List<JobRun> failed)
    {
        var oomPods = failed.SelectMany(r => r.OomKilledPods).Order(StringComparer.Ordinal).ToList();
        var runs = string.Join(", ", failed.Select(r => $"{r.Name} ({r.FailureReason ?? "Failed"}{(r.OomKilled ? ", OOM-killed" : string.Empty)})"));
        var message = $"{failed.Count} failed run{(failed.Count == 1 ? string.Empty : "s")} of CronJob {cronJob.Name} in a row: {runs}; " +
            $"pods killed for memory: {string.Join(", ", oomPods)}";
        // No revision: the signal is about the CronJob across its runs, so every run of one episode lands on one incident.
        return new DetectedSignal(new SignalKey(cronJob.Namespace, cronJob.Name, SignalType.OOMKilled, null), SignalPath.StableRevision, Reason, message,
            new ValueList<string>(oomPods), failed.Sum(r => r.Pods.Count), failed[^1].CreatedAt);
    }
}
