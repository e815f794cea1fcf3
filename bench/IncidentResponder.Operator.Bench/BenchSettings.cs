namespace IncidentResponder.Operator.Bench;

/// <summary>The benchmark's sizes and rates; the defaults are the acceptance point.</summary>
internal sealed record BenchSettings
{
    public int Deployments { get; init; } = 2_000;

    public int PodsPerDeployment { get; init; } = 10;

    public int Namespaces { get; init; } = 20;

    /// <summary>Node objects the pods are spread over, each with a kubelet heartbeat; 0: every pod on the one simulated node.</summary>
    public int Nodes { get; init; }

    /// <summary>How many Deployments get a bad rollout, spread over the fleet (and so over the namespaces).</summary>
    public int BadRollouts { get; init; } = 100;

    /// <summary>The fraction of the bad-rollout targets applied by an Argo CD Application, which the operator pauses before rolling back.</summary>
    public double GitOpsShare { get; init; } = 0.5;

    /// <summary>Time between the starts of two bad rollouts.</summary>
    public TimeSpan RolloutInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Background pod writes per second (annotations and statuses of healthy pods) during the whole run.</summary>
    public int ChurnPerSecond { get; init; } = 300;

    /// <summary>The policy's holdFor (hysteresis). "0s" is the shortest value the CRD's duration pattern accepts.</summary>
    public string HoldFor { get; init; } = "0s";

    /// <summary>From the new pods' creation to the first one crash-looping (the kubelet starting, running, dying).</summary>
    public TimeSpan CrashDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Between the crash statuses of the new pods (each pod's kubelet reports on its own).</summary>
    public TimeSpan CrashSpacing { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long after the last bad rollout to wait for every incident and rollback before giving up.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Where the operator's log goes (Information and up).</summary>
    public string OperatorLog { get; init; } = Path.Combine(Path.GetTempPath(), "operator-bench-operator.log");

    public int Pods => Deployments * PodsPerDeployment;

    /// <summary>The pods a rolling update with maxSurge 25% (the default) creates first: ceil(25% of replicas).</summary>
    public int NewPodsPerRollout => (int)Math.Ceiling(PodsPerDeployment * 0.25);

    /// <summary>Old pods the rollout scales away: replicas − (replicas − floor(25%)) with maxUnavailable 25%.</summary>
    public int OldPodsRemovedPerRollout => PodsPerDeployment / 4;
}
