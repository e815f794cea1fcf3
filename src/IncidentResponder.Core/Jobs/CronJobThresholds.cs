namespace IncidentResponder.Core.Jobs;

/// <summary>
/// When failed runs of a CronJob make an incident. Only finished runs since the job template last changed count (a run
/// of the template before a raise says nothing about the raised one), newest first.
/// One failed run whose pods were OOM-killed is enough: the Job already retried up to its backoffLimit inside that run,
/// and a job killed for memory on every attempt is killed again next time (its input grew; nothing transient about
/// it). A failed run without an OOM kill opens nothing by itself, so one flaky run (a network blip, a dependency
/// restarting) pages nobody; <see cref="ConsecutiveFailedRuns"/> failed runs in a row open one when any of them was
/// OOM-killed (a job that runs out of memory on some attempts and times out on others). Repeated failures with no OOM
/// kill at all are not this detector's: more memory would not fix them, and the cluster's job-failure alerts cover them.
/// </summary>
/// <param name="ConsecutiveFailedRuns">Failed runs in a row, newest first, that open an incident when one of them was OOM-killed.</param>
public sealed record CronJobThresholds(int ConsecutiveFailedRuns)
{
    public static CronJobThresholds Default { get; } = new(2);
}
