using IncidentResponder.Operator.Hosting;
using IncidentResponder.Runtime.Hosting;
using k8s;

namespace IncidentResponder.Operator.Health;

/// <summary>
/// The operator's readiness checks beyond the runtime's own (informers synced, leader election): the API server, and
/// whatever the options plug in (history store and notifiers, non-critical). Shown in /readyz.
/// </summary>
public static class HealthWiring
{
    public static void Add(ControllerManager manager, IKubernetes client, OperatorOptions options, TimeProvider time)
    {
        manager.AddReadinessCheck(new ApiServerCheck(client, time));
        foreach (var check in options.ReadinessChecks)
        {
            manager.AddReadinessCheck(check);
        }
    }
}
