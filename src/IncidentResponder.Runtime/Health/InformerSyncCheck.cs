using IncidentResponder.Runtime.Informers;

namespace IncidentResponder.Runtime.Health;

/// <summary>Ready once every informer of one resource (one per watched namespace) has applied its first LIST.</summary>
public sealed class InformerSyncCheck(string resource, IReadOnlyList<IRunnableInformer> informers) : IHealthCheck
{
    public string Name => $"informer-sync:{resource}";

    public bool IsHealthy() => informers.All(i => i.HasSynced);

    public ValueTask<HealthCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        var synced = informers.Count(i => i.HasSynced);
        return ValueTask.FromResult(synced == informers.Count
            ? HealthCheckResult.Healthy($"{synced} informer(s) synced")
            : HealthCheckResult.Unhealthy($"{informers.Count - synced} of {informers.Count} informer(s) not synced yet"));
    }
}
