using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Hosting;
using k8s;

namespace IncidentResponder.Operator.Controllers;

/// <summary>
/// What every feature's <see cref="IOperatorFeature.Setup"/> is handed (as controller-runtime hands its manager to
/// <c>SetupWithManager</c>): the manager its controllers run in, the API client, the shared caches and what the
/// features share on top of them.
/// </summary>
/// <param name="Observer">Detection's memory of each Deployment (hysteresis, last snapshot).</param>
/// <param name="NodeOoms">The node OOM events the operator can see (none when it cannot read their namespace).</param>
/// <param name="ControllerName">The name the operator's Events are reported by.</param>
/// <param name="CronJobs">CronJobs, their Jobs and the Jobs' pods, for the CronJob targets.</param>
public sealed record OperatorParts(
    ControllerManager Manager,
    IKubernetes Client,
    ClusterCache Cache,
    TargetObserver Observer,
    NodeOomWindow NodeOoms,
    PolicyResolver Policies,
    IncidentStatusStore Statuses,
    IncidentEventRecorder Events,
    string ControllerName,
    HealthProbes.Probing Probing,
    CronJobCache CronJobs);

/// <summary>
/// One feature of the operator: its settings (the implementing record) and its <see cref="Setup"/>, which builds its
/// reconciler and connects it with <c>ControllerBuilder</c>. Adding a feature is a new implementation in the feature's
/// folder, listed in the operator's features.
/// </summary>
public interface IOperatorFeature
{
    void Setup(OperatorParts parts);
}
