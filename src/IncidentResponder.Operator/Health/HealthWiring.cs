using IncidentResponder.Runtime.Health;
using IncidentResponder.Runtime.Hosting;
using k8s;

namespace IncidentResponder.Operator.Health;

/// <summary>
/// The operator's readiness checks beyond the runtime's own (informers synced, leader election): the API server, and
/// whatever the host plugs in. Features add their own (history store and notifiers, non-critical). Shown in /readyz.
/// </summary>
public static class HealthWiring
{
    public static void Add(ControllerManager manager, IKubernetes client, IEnumerable<IHealthCheck> extraChecks, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(extraChecks);
        manager.AddReadinessCheck(new ApiServerCheck(client, time));
        foreach (var check in extraChecks)
        {
            manager.AddReadinessCheck(check);
        }
    }
}
