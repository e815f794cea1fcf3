using System.Globalization;
using IncidentResponder.Simulator.Storage;
using k8s.Models;

namespace IncidentResponder.Simulator.Controllers;

/// <summary>Starting a scheduled Job under the concurrency policy, and deleting finished Jobs beyond the history limits.</summary>
public sealed partial class CronJobReconciler
{
    private void StartJob(DateTimeOffset scheduled, List<V1Job> owned)
    {
        var name = JobName(Name, scheduled);
        if (_cronJob.Spec.StartingDeadlineSeconds is { } deadline && scheduled.AddSeconds(deadline) < _now)
        {
            Event("Warning", "MissSchedule", $"Missed scheduled time to start a job: {scheduled.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}");
            return;
        }

        if (owned.Any(job => job.Metadata.Name == name))
        {
            return; // Already started for this time.
        }

        var active = _status.Active ?? [];
        switch (_cronJob.Spec.ConcurrencyPolicy)
        {
            case "Forbid" when active.Count > 0:
                Event("Normal", "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid");
                return;
            case "Replace":
                foreach (var reference in active)
                {
                    _writes.Add(new DeleteObject(BuiltinResources.Jobs, reference.NamespaceProperty ?? _cronJob.Metadata.NamespaceProperty, reference.Name));
                    Event("Normal", "SuccessfulDelete", $"Deleted job {reference.Name}");
                }

                active = [];
                break;
        }

        var template = KubeObjects.Clone(_cronJob.Spec.JobTemplate);
        var annotations = new Dictionary<string, string>(template.Metadata?.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [ScheduledTimestampAnnotation] = scheduled.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
        var job = new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = _cronJob.Metadata.NamespaceProperty,
                Labels = template.Metadata?.Labels,
                Annotations = annotations,
                OwnerReferences = [KubeObjects.ControllerReference("batch/v1", "CronJob", _cronJob.Metadata)],
            },
            Spec = template.Spec,
        };
        _writes.Add(new CreateObject(BuiltinResources.Jobs, job));
        Event("Normal", "SuccessfulCreate", $"Created job {name}");
        _status.Active = [.. active, new V1ObjectReference { ApiVersion = "batch/v1", Kind = "Job", Name = name, NamespaceProperty = _cronJob.Metadata.NamespaceProperty }];
        _status.LastScheduleTime = KubeObjects.Seconds(scheduled);
    }

    /// <summary>Finished Jobs beyond successfulJobsHistoryLimit / failedJobsHistoryLimit go, oldest start first.</summary>
    private void CleanUpFinished(List<V1Job> owned)
    {
        Remove(owned.Where(job => HasCondition(job, "Complete")), _cronJob.Spec.SuccessfulJobsHistoryLimit ?? 3);
        Remove(owned.Where(job => HasCondition(job, "Failed")), _cronJob.Spec.FailedJobsHistoryLimit ?? 1);
    }

    private void Remove(IEnumerable<V1Job> finished, int limit)
    {
        var ordered = finished
            .OrderBy(job => job.Status?.StartTime ?? job.Metadata.CreationTimestamp ?? DateTime.MinValue)
            .ThenBy(job => job.Metadata.Name, StringComparer.Ordinal)
            .ToList();
        foreach (var job in ordered.Take(Math.Max(0, ordered.Count - limit)))
        {
            _writes.Add(new DeleteObject(BuiltinResources.Jobs, job.Metadata.NamespaceProperty, job.Metadata.Name));
            Event("Normal", "SuccessfulDelete", $"Deleted job {job.Metadata.Name}");
        }
    }

    private static bool HasCondition(V1Job job, string type) => job.Status?.Conditions?.Any(c => c.Type == type && c.Status == "True") == true;
}
