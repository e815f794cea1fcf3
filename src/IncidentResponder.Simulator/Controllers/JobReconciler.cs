using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;
using k8s.Models;

namespace IncidentResponder.Simulator.Controllers;

/// <summary>
/// The job controller's sync as a pure function (<c>pkg/controller/job</c>, NonIndexed completion): keep
/// <c>min(parallelism, completions - succeeded)</c> pods running, count pods that ended Succeeded or Failed (with
/// restartPolicy OnFailure, container restarts count as failures too), and finish with <c>SuccessCriteriaMet</c> +
/// <c>Complete</c>, or with <c>FailureTarget</c> + <c>Failed</c> (BackoffLimitExceeded, DeadlineExceeded) after
/// deleting the pods still running. A failed pod is replaced after the pod-failure back-off (10 s, doubling, 6 min cap).
/// Counts never go down: upstream keeps them with a tracking finalizer, here a deleted finished pod stays counted.
/// </summary>
public sealed class JobReconciler
{
    public const string Component = "job-controller";

    private readonly V1Job _job;
    private readonly DateTimeOffset _now;
    private readonly List<ControllerWrite> _writes = [];
    private TimeSpan? _requeue;

    private JobReconciler(V1Job job, DateTimeOffset now)
    {
        _job = job;
        _now = now;
    }

    /// <param name="job">The Job.</param>
    /// <param name="namespacePods">All pods of its namespace.</param>
    /// <param name="now">The time.</param>
    /// <param name="failureBackOff">The first pod-failure back-off (upstream 10 s).</param>
    /// <param name="nameSuffix">The 5 random characters of each new pod's name.</param>
    public static SyncResult Reconcile(V1Job job, IReadOnlyList<V1Pod> namespacePods, DateTimeOffset now, TimeSpan failureBackOff, Func<string> nameSuffix)
    {
        var sync = new JobReconciler(job, now);
        sync.Run(namespacePods, failureBackOff, nameSuffix);
        return new SyncResult(sync._writes, sync._requeue);
    }

    public static bool IsFinished(V1Job job) =>
        job.Status?.Conditions?.Any(c => c.Type is "Complete" or "Failed" && c.Status == "True") == true;

    private void Run(IReadOnlyList<V1Pod> namespacePods, TimeSpan failureBackOff, Func<string> nameSuffix)
    {
        var pods = namespacePods.Where(pod => KubeObjects.IsControlledBy(pod.Metadata, _job.Metadata.Uid)).ToList();
        var active = pods.Where(PodConditions.IsActive).ToList();
        var succeeded = Math.Max(_job.Status?.Succeeded ?? 0, pods.Count(pod => pod.Status?.Phase == "Succeeded"));
        var failedPods = pods.Where(pod => pod.Status?.Phase == "Failed").ToList();
        var failed = Math.Max(_job.Status?.Failed ?? 0, failedPods.Count);
        var status = KubeObjects.Clone(_job.Status ?? new V1JobStatus());
        var conditions = status.Conditions?.ToList() ?? [];
        var suspended = _job.Spec.Suspend == true;

        if (!IsFinished(_job) && !suspended)
        {
            status.StartTime ??= KubeObjects.Seconds(_now);
            var restarts = _job.Spec.Template.Spec.RestartPolicy == "OnFailure" ? active.Sum(PodConditions.RestartCount) : 0;
            var completions = _job.Spec.Completions;
            var deadline = _job.Spec.ActiveDeadlineSeconds is { } seconds ? KubeObjects.Utc(status.StartTime.Value).AddSeconds(seconds) : (DateTimeOffset?)null;
            if (failed + restarts > (_job.Spec.BackoffLimit ?? 6))
            {
                Fail(conditions, active, "BackoffLimitExceeded", "Job has reached the specified backoff limit");
            }
            else if (deadline is { } due && _now >= due)
            {
                Fail(conditions, active, "DeadlineExceeded", "Job was active longer than specified deadline");
            }
            else if (completions is { } wanted && succeeded >= wanted)
            {
                conditions.Add(Condition("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods"));
                conditions.Add(Condition("Complete", "CompletionsReached", "Reached expected number of succeeded pods"));
                status.CompletionTime = KubeObjects.Seconds(_now);
                Event("Normal", "Completed", "Job completed");
            }
            else
            {
                var want = completions is { } total ? Math.Min(_job.Spec.Parallelism ?? 1, total - succeeded) : (_job.Spec.Parallelism ?? 1);
                if (active.Count < want && ReadyForNewPod(failedPods, failed, failureBackOff))
                {
                    for (var i = active.Count; i < want; i++)
                    {
                        CreatePod(nameSuffix());
                    }
                }

                if (deadline is { } next)
                {
                    _requeue = next - _now;
                }
            }
        }
        else if (suspended && active.Count > 0)
        {
            active.ForEach(DeletePod);
        }

        status.Active = IsFinished(_job) || conditions.Any(c => c.Type is "Complete" or "Failed") || suspended ? 0 : active.Count(pod => !_writes.OfType<DeleteObject>().Any(d => d.Name == pod.Metadata.Name));
        status.Active = status.Active == 0 ? null : status.Active;
        status.Succeeded = succeeded == 0 ? null : succeeded;
        status.Failed = failed == 0 ? null : failed;
        status.Ready = active.Count(PodConditions.IsReady);
        status.Terminating = 0;
        status.UncountedTerminatedPods ??= new V1UncountedTerminatedPods();
        status.Conditions = conditions.Count == 0 ? null : conditions;
        if (!JsonNode.DeepEquals(KubeObjects.ToJson(status), KubeObjects.ToJson(_job.Status ?? new V1JobStatus())))
        {
            var updated = KubeObjects.Clone(_job);
            updated.Status = status;
            _writes.Add(new UpdateStatus(BuiltinResources.Jobs, updated));
        }
    }

    /// <summary>After a failure the replacement waits <c>backOff * 2^(failures-1)</c> from the last pod's end, as the pod failure back-off does.</summary>
    private bool ReadyForNewPod(List<V1Pod> failedPods, int failed, TimeSpan backOff)
    {
        if (failed == 0 || failedPods.Count == 0)
        {
            return true;
        }

        var lastEnd = failedPods.Max(pod => pod.Status?.ContainerStatuses?
            .Select(s => s.State?.Terminated?.FinishedAt)
            .OfType<DateTime>()
            .Select(KubeObjects.Utc)
            .DefaultIfEmpty(KubeObjects.CreatedAt(pod.Metadata)).Max() ?? KubeObjects.CreatedAt(pod.Metadata));
        var delay = TimeSpan.FromTicks(Math.Min(backOff.Ticks * (1L << Math.Min(failed - 1, 20)), TimeSpan.FromMinutes(6).Ticks));
        if (_now >= lastEnd + delay)
        {
            return true;
        }

        _requeue = lastEnd + delay - _now;
        return false;
    }

    private void Fail(List<V1JobCondition> conditions, List<V1Pod> active, string reason, string message)
    {
        active.ForEach(DeletePod);
        conditions.Add(Condition("FailureTarget", reason, message));
        conditions.Add(Condition("Failed", reason, message));
        Event("Warning", reason, message);
    }

    private V1JobCondition Condition(string type, string reason, string message) => new()
    {
        Type = type, Status = "True", Reason = reason, Message = message,
        LastProbeTime = KubeObjects.Seconds(_now), LastTransitionTime = KubeObjects.Seconds(_now),
    };

    private void CreatePod(string suffix)
    {
        var template = KubeObjects.Clone(_job.Spec.Template);
        var pod = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                GenerateName = _job.Metadata.Name + "-",
                Name = $"{_job.Metadata.Name}-{suffix}",
                NamespaceProperty = _job.Metadata.NamespaceProperty,
                Labels = template.Metadata?.Labels,
                Annotations = template.Metadata?.Annotations,
                OwnerReferences = [KubeObjects.ControllerReference("batch/v1", "Job", _job.Metadata)],
            },
            Spec = template.Spec,
        };
        _writes.Add(new CreateObject(BuiltinResources.Pods, pod));
        Event("Normal", "SuccessfulCreate", $"Created pod: {pod.Metadata.Name}");
    }

    private void DeletePod(V1Pod pod)
    {
        _writes.Add(new DeleteObject(BuiltinResources.Pods, pod.Metadata.NamespaceProperty, pod.Metadata.Name));
        Event("Normal", "SuccessfulDelete", $"Deleted pod: {pod.Metadata.Name}");
    }

    private void Event(string type, string reason, string message) =>
        _writes.Add(new RecordEvent(new EventSpec(KubeObjects.Reference("batch/v1", "Job", _job.Metadata), type, reason, message, Component, null, _now)));
}
