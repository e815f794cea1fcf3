namespace IncidentResponder.Runtime.LeaderElection;

public sealed record LeaderElectionOptions
{
    /// <summary>The coordination.k8s.io Lease used as the lock, e.g. "&lt;operator&gt;-leader".</summary>
    public required string LeaseName { get; init; }

    public required string LeaseNamespace { get; init; }

    /// <summary>Unique per process: the pod name in a cluster.</summary>
    public required string Identity { get; init; }

    /// <summary>How long a stopped leader blocks the others (client-go default 15 s).</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>A leader that could not renew for this long gives up (client-go default 10 s).</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Pause between attempts to acquire or renew (client-go default 2 s).</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// On clean shutdown, hand the lease back (empty holder, 1 s duration) so a standby takes over within one retry
    /// period instead of waiting for the lease to expire. Off only to simulate a crash.
    /// </summary>
    public bool ReleaseOnShutdown { get; init; } = true;
}
