using k8s.Models;

namespace IncidentResponder.Simulator.Kubelet;

/// <summary>Where a container is in its life, as the kubelet tracks it.</summary>
public enum ContainerPhase
{
    /// <summary>Sandbox and image being prepared (waiting: ContainerCreating).</summary>
    Creating,

    /// <summary>The last pull failed (waiting: ErrImagePull).</summary>
    PullFailed,

    /// <summary>Waiting before the next pull (waiting: ImagePullBackOff).</summary>
    PullBackOff,

    /// <summary>The container process runs.</summary>
    Running,

    /// <summary>Waiting before a restart (waiting: CrashLoopBackOff).</summary>
    CrashBackOff,

    /// <summary>Exited for good (restartPolicy Never).</summary>
    Exited,
}

/// <summary>
/// The kubelet's in-memory view of one container. Like the real kubelet's back-off table, this is not stored in the
/// API: the pod status is a projection of it.
/// </summary>
public sealed record ContainerMemory
{
    public required string Name { get; init; }

    public ContainerPhase Phase { get; init; }

    /// <summary>When the current phase began.</summary>
    public DateTimeOffset Since { get; init; }

    /// <summary>End of the current back-off (PullBackOff, CrashBackOff).</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>The back-off being served, unscaled, as the CrashLoopBackOff message reports it.</summary>
    public TimeSpan BackOff { get; init; }

    public int RestartCount { get; init; }

    public int PullAttempts { get; init; }

    public bool ImagePresent { get; init; }

    /// <summary>How many container instances were created (names the containerID).</summary>
    public int Instances { get; init; }

    /// <summary>Start of the current run (null before the first start).</summary>
    public DateTimeOffset? StartedAt { get; init; }

    public V1ContainerStateTerminated? LastTermination { get; init; }

    public DateTimeOffset? LastProbeFailure { get; init; }

    public bool HasRun => StartedAt is not null || LastTermination is not null;
}

/// <summary>The kubelet's in-memory view of one pod: when it arrived, the fault it carries and its containers.</summary>
public sealed record PodMemory
{
    public DateTimeOffset ScheduledAt { get; init; }

    public FaultSpec Fault { get; init; } = FaultSpec.None;

    /// <summary>When the kubelet first saw the current fault annotation; fault-after counts from here.</summary>
    public DateTimeOffset FaultSeenAt { get; init; }

    public IReadOnlyList<ContainerMemory> Containers { get; init; } = [];

    /// <summary>When the fault takes effect, or null without a fault.</summary>
    public DateTimeOffset? FaultActiveAt(KubeletSettings settings) =>
        Fault.Kind == FaultKind.None ? null : FaultSeenAt + settings.Scaled(Fault.After);

    public bool IsFaultActive(FaultKind kind, DateTimeOffset at, KubeletSettings settings) =>
        Fault.Kind == kind && FaultActiveAt(settings) is { } active && at >= active;
}
