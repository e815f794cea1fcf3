namespace IncidentResponder.Operator.Bench.MetricsAnalysis;

/// <summary>The metric-analysis run's shape: how many bad rollouts over how many Deployments, and the three intervals that pace detection.</summary>
internal sealed record MetricsSettings
{
    public int Rollouts { get; init; } = 20;

    public int Namespaces { get; init; } = 4;

    /// <summary>Bad rollouts started together; the next group starts when this one's rollbacks are accepted.</summary>
    public int AtOnce { get; init; } = 4;

    public TimeSpan ScrapeInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The policy's <c>spec.metrics.interval</c>: how often the operator asks Prometheus.</summary>
    public string PollInterval { get; init; } = "1s";

    /// <summary>The check's <c>for</c>: how long the query must stay above the threshold.</summary>
    public string For { get; init; } = "2s";

    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(90);

    public string OperatorLog { get; init; } = "operator-bench-metrics.log";

    /// <summary>One Deployment per bad rollout, spread round-robin over the namespaces.</summary>
    public IEnumerable<(string Namespace, string Name)> Targets() =>
        Enumerable.Range(0, Rollouts).Select(i => (MetricsWorld.NamespaceName(i % Namespaces), MetricsWorld.DeploymentName(i)));
}
