using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.Storage;
using k8s.Models;

namespace IncidentResponder.Simulator.Tests.Workloads;

/// <summary>The job controller as a pure function: how many pods it keeps, what counts as a failure, and the back-off.</summary>
public sealed class JobReconcilerTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static int _suffix;

    private static V1Job Job(int completions, int parallelism, int backoffLimit, string restartPolicy) => new()
    {
        ApiVersion = "batch/v1",
        Kind = "Job",
        Metadata = new V1ObjectMeta { Name = "work", NamespaceProperty = "default", Uid = "uid-work" },
        Spec = new V1JobSpec
        {
            Completions = completions,
            Parallelism = parallelism,
            BackoffLimit = backoffLimit,
            Template = new V1PodTemplateSpec { Spec = new V1PodSpec { RestartPolicy = restartPolicy, Containers = [new V1Container { Name = "w", Image = "busybox" }] } },
        },
    };

    private static V1Pod Pod(string name, string phase, int restarts = 0, DateTimeOffset? finished = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name, NamespaceProperty = "default", Uid = name, CreationTimestamp = Now.AddMinutes(-5).UtcDateTime,
            OwnerReferences = [new V1OwnerReference { Uid = "uid-work", Controller = true, Kind = "Job", Name = "work", ApiVersion = "batch/v1" }],
        },
        Status = new V1PodStatus
        {
            Phase = phase,
            ContainerStatuses = [new V1ContainerStatus
            {
                Name = "w", RestartCount = restarts, Image = "busybox", ImageID = "", Ready = false,
                State = finished is { } at ? new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = phase == "Failed" ? 137 : 0, FinishedAt = at.UtcDateTime } } : new V1ContainerState(),
            }],
        },
    };

    private static SyncResult Reconcile(V1Job job, params V1Pod[] pods) =>
        JobReconciler.Reconcile(job, pods, Now, TimeSpan.FromSeconds(10), () => $"p{Interlocked.Increment(ref _suffix)}");

    private static int Creates(SyncResult result) => result.Writes.OfType<CreateObject>().Count(w => w.Type == BuiltinResources.Pods);

    private static V1JobStatus Status(SyncResult result) => ((V1Job)result.Writes.OfType<UpdateStatus>().Single().Object).Status;

    [Fact]
    public void It_runs_at_most_parallelism_pods_and_no_more_than_the_completions_left()
    {
        Assert.Equal(2, Creates(Reconcile(Job(completions: 5, parallelism: 2, backoffLimit: 6, "Never"))));
        Assert.Equal(1, Creates(Reconcile(Job(completions: 5, parallelism: 3, backoffLimit: 6, "Never"),
            Pod("a", "Succeeded"), Pod("b", "Succeeded"), Pod("c", "Succeeded"), Pod("d", "Running"))));
    }

    [Fact]
    public void Container_restarts_count_as_failures_under_on_failure_and_exceeding_the_limit_fails_the_job()
    {
        var never = Reconcile(Job(1, 1, backoffLimit: 2, "Never"), Pod("a", "Running", restarts: 3));
        Assert.DoesNotContain(Status(never).Conditions ?? [], c => c.Type == "Failed");

        var onFailure = Reconcile(Job(1, 1, backoffLimit: 2, "OnFailure"), Pod("a", "Running", restarts: 3));
        var failed = Assert.Single(Status(onFailure).Conditions!, c => c.Type == "Failed");
        Assert.Equal("BackoffLimitExceeded", failed.Reason);
        Assert.Contains(onFailure.Writes.OfType<DeleteObject>(), d => d.Name == "a");
    }

    [Fact]
    public void A_failed_pod_is_replaced_only_after_the_back_off()
    {
        var job = Job(1, 1, backoffLimit: 6, "Never");
        var waiting = Reconcile(job, Pod("a", "Failed", finished: Now.AddSeconds(-4)));
        Assert.Equal(0, Creates(waiting));
        Assert.Equal(TimeSpan.FromSeconds(6), waiting.RequeueAfter);

        Assert.Equal(1, Creates(Reconcile(job, Pod("a", "Failed", finished: Now.AddSeconds(-11)))));
    }
}
