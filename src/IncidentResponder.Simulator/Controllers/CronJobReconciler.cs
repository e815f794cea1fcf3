using System.Globalization;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;
using k8s.Models;

namespace IncidentResponder.Simulator.Controllers;

/// <summary>
/// The cronjob controller's sync as a pure function (<c>pkg/controller/cronjob</c>, cronjob_controllerv2.go): keep
/// <c>status.active</c> in step with the Jobs it owns, record <c>lastSuccessfulTime</c>, delete finished Jobs beyond the
/// history limits, and at each scheduled time (the most recent one missed, within <c>startingDeadlineSeconds</c>)
/// create <c>&lt;cronjob&gt;-&lt;scheduled time in minutes since the epoch&gt;</c> unless suspended, honouring
/// <c>concurrencyPolicy</c> Allow, Forbid and Replace. It asks to be synced again at the next scheduled time.
/// </summary>
public sealed partial class CronJobReconciler
{
    public const string Component = "cronjob-controller";
    public const string ScheduledTimestampAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp";

    private readonly V1CronJob _cronJob;
    private readonly V1CronJobStatus _status;
    private readonly DateTimeOffset _now;
    private readonly List<ControllerWrite> _writes = [];

    private CronJobReconciler(V1CronJob cronJob, DateTimeOffset now)
    {
        _cronJob = cronJob;
        _status = KubeObjects.Clone(cronJob.Status ?? new V1CronJobStatus());
        _now = now;
    }

    /// <param name="cronJob">The CronJob.</param>
    /// <param name="namespaceJobs">All Jobs of its namespace.</param>
    /// <param name="now">The time (the simulator's injected clock).</param>
    public static SyncResult Reconcile(V1CronJob cronJob, IReadOnlyList<V1Job> namespaceJobs, DateTimeOffset now)
    {
        var sync = new CronJobReconciler(cronJob, now);
        var requeue = sync.Run(namespaceJobs);
        sync.WriteStatus();
        return new SyncResult(sync._writes, requeue);
    }

    /// <summary>The name of the Job for a scheduled time: the minutes since the Unix epoch, as upstream names it.</summary>
    public static string JobName(string cronJob, DateTimeOffset scheduled) =>
        string.Create(CultureInfo.InvariantCulture, $"{cronJob}-{scheduled.ToUnixTimeSeconds() / 60}");

    private string Name => _cronJob.Metadata.Name;

    private TimeSpan? Run(IReadOnlyList<V1Job> namespaceJobs)
    {
        var owned = namespaceJobs.Where(job => KubeObjects.IsControlledBy(job.Metadata, _cronJob.Metadata.Uid) && job.Metadata.DeletionTimestamp is null).ToList();
        SyncActive(owned);
        if (_cronJob.Metadata.DeletionTimestamp is not null)
        {
            return null;
        }

        CleanUpFinished(owned);
        if (CronSchedule.TryParse(_cronJob.Spec.Schedule ?? string.Empty, _cronJob.Spec.TimeZone, out var error) is not { } schedule)
        {
            Event("Warning", "UnparseableSchedule", $"unparseable schedule: \"{_cronJob.Spec.Schedule}\" : {error}");
            return null;
        }

        if (_cronJob.Spec.Suspend == true)
        {
            return null;
        }

        var earliest = _cronJob.Status?.LastScheduleTime is { } last ? KubeObjects.Utc(last) : KubeObjects.CreatedAt(_cronJob.Metadata);
        if (_cronJob.Spec.StartingDeadlineSeconds is { } deadline && _now.AddSeconds(-deadline) > earliest)
        {
            earliest = _now.AddSeconds(-deadline);
        }

        var (scheduled, missed) = schedule.MostRecent(earliest, _now);
        if (missed > 100)
        {
            Event("Warning", "TooManyMissedTimes", "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew");
        }

        if (scheduled is { } time)
        {
            StartJob(time, owned);
        }

        return schedule.Next(_now) is { } next ? next - _now + TimeSpan.FromMilliseconds(100) : null;
    }

    /// <summary>Drops finished and vanished Jobs from <c>status.active</c>, and takes the latest completion as lastSuccessfulTime.</summary>
    private void SyncActive(List<V1Job> owned)
    {
        var active = new List<V1ObjectReference>();
        foreach (var reference in _status.Active ?? [])
        {
            var job = owned.FirstOrDefault(j => j.Metadata.Name == reference.Name);
            if (job is null)
            {
                Event("Normal", "MissingJob", $"Active job went missing: {reference.Name}");
            }
            else if (JobReconciler.IsFinished(job))
            {
                var condition = job.Status!.Conditions!.First(c => c.Type is "Complete" or "Failed" && c.Status == "True").Type;
                Event("Normal", "SawCompletedJob", $"Saw completed job: {job.Metadata.Name}, condition: {condition}");
            }
            else
            {
                active.Add(JobReference(job));
            }
        }

        foreach (var job in owned.Where(j => !JobReconciler.IsFinished(j) && active.All(a => a.Name != j.Metadata.Name)))
        {
            Event("Warning", "UnexpectedJob", $"Saw a job that the controller did not create or forgot: {job.Metadata.Name}");
        }

        _status.Active = active.Count == 0 ? null : active;
        var completions = owned
            .Where(job => job.Status?.Conditions?.Any(c => c.Type == "Complete" && c.Status == "True") == true && job.Status.CompletionTime is not null)
            .Select(job => job.Status!.CompletionTime!.Value)
            .ToList();
        if (completions.Count > 0 && (_status.LastSuccessfulTime is not { } known || completions.Max() > known))
        {
            _status.LastSuccessfulTime = completions.Max();
        }
    }

    private static V1ObjectReference JobReference(V1Job job) => new()
    {
        ApiVersion = "batch/v1",
        Kind = "Job",
        Name = job.Metadata.Name,
        NamespaceProperty = job.Metadata.NamespaceProperty,
        Uid = job.Metadata.Uid,
        ResourceVersion = job.Metadata.ResourceVersion,
    };

    private void Event(string type, string reason, string message) =>
        _writes.Add(new RecordEvent(new EventSpec(KubeObjects.Reference("batch/v1", "CronJob", _cronJob.Metadata), type, reason, message, Component, null, _now)));

    private void WriteStatus()
    {
        if (JsonNode.DeepEquals(KubeObjects.ToJson(_status), KubeObjects.ToJson(_cronJob.Status ?? new V1CronJobStatus())))
        {
            return;
        }

        var updated = KubeObjects.Clone(_cronJob);
        updated.Status = _status;
        _writes.Add(new UpdateStatus(BuiltinResources.CronJobs, updated));
    }
}
