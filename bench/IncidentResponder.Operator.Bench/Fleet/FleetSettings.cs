namespace IncidentResponder.Operator.Bench.Fleet;

/// <summary>The <c>fleet</c> benchmark's sizes: the scale Kubernetes publishes as its limits, and the failovers to time.</summary>
internal sealed record FleetSettings
{
    public int Deployments { get; init; } = 15_000;

    public int PodsPerDeployment { get; init; } = 10;

    public int Namespaces { get; init; } = 50;

    public int Nodes { get; init; } = 5_000;

    public int ChurnPerSecond { get; init; } = 1_000;

    /// <summary>How many times the leader is killed; each kill is followed by a bad rollout the standby must handle.</summary>
    public int Kills { get; init; } = 3;

    /// <summary>The leader election timings (client-go's defaults): a killed leader blocks the others for the lease duration.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    public string OperatorLog { get; init; } = Path.Combine(Path.GetTempPath(), "operator-bench-fleet.log");

    public int Pods => Deployments * PodsPerDeployment;

    /// <summary>The goal for a kill -9 of the leader to the new leader's first action: lease duration + 2 s.</summary>
    public TimeSpan FailoverGoal => LeaseDuration + TimeSpan.FromSeconds(2);

    /// <summary>The same fleet in the shape the latency benchmark's helpers take.</summary>
    public BenchSettings AsBench() => new()
    {
        Deployments = Deployments,
        PodsPerDeployment = PodsPerDeployment,
        Namespaces = Namespaces,
        Nodes = Nodes,
        BadRollouts = Kills + 1,
        GitOpsShare = 0,
        ChurnPerSecond = ChurnPerSecond,
        OperatorLog = OperatorLog,
    };
}
