namespace IncidentResponder.Runtime.Health;

/// <summary>One named yes/no answer for /healthz or /readyz.</summary>
public interface IHealthCheck
{
    string Name { get; }

    bool IsHealthy();
}

/// <summary>A check from a delegate, e.g. <c>new HealthCheck("informer:pods", () => informer.HasSynced)</c>.</summary>
public sealed class HealthCheck(string name, Func<bool> check) : IHealthCheck
{
    public string Name => name;

    public bool IsHealthy() => check();
}
