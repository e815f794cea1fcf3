using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Controllers;
using IncidentResponder.Operator.Egress;
using IncidentResponder.Operator.Health;
using IncidentResponder.Operator.HealthProbes;
using IncidentResponder.Operator.Metrics;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Events;
using IncidentResponder.Runtime.Hosting;
using IncidentResponder.Runtime.Informers;
using IncidentResponder.Runtime.LeaderElection;
using IncidentResponder.Runtime.Metrics;
using IncidentResponder.Runtime.Status;
using k8s;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Hosting;

/// <summary>
/// The one place the operator is put together: the manager with leader election, probes and metrics, informers
/// (projected and indexed) for every watched namespace, what the features share (<see cref="OperatorParts"/>), and then
/// each feature of <see cref="OperatorOptions.Features"/>, which adds its own controllers and watches. The <c>run</c>
/// and <c>demo</c> commands and the tests all start the operator through <see cref="Create"/>.
/// </summary>
public static class OperatorAssembly
{
    /// <summary>The user agent of the operator's API requests (audit logs, and the RBAC test that reads them).</summary>
    public const string UserAgent = "incident-responder";

    /// <param name="lossHandler">What to do when leadership is lost; required when leader election is configured.</param>
    public static OperatorInstance Create(
        IKubernetes client, OperatorOptions options, ILoggerFactory loggers, TimeProvider time,
        ILeadershipLossHandler? lossHandler = null, RuntimeMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        metrics ??= RuntimeMetrics.CreateIsolated();
        var election = options.LeaderElection is { } leaderElection
            ? new LeaderElectionService(client, leaderElection,
                lossHandler ?? throw new ArgumentException("leader election needs a leadership loss handler", nameof(lossHandler)),
                metrics, loggers.CreateLogger<LeaderElectionService>(), time)
            : null;
        var manager = new ControllerManager(new ManagerOptions { LeaderElection = options.LeaderElection, Health = options.Health }, metrics, loggers, election, time);
        var informers = new InformerFactory(client, options, metrics, loggers, time, manager);
        var cache = CreateCache(informers);
        MetricsWiring.Add(cache, manager, metrics);
        HealthWiring.Add(manager, client, options.ReadinessChecks, time);
        var nodeOoms = NodeOomWiring.Create(informers, options);

        var observer = new TargetObserver(cache, nodeOoms);
        var incidents = new CustomObjectClient<Incident>(client, GroupVersion.Group, GroupVersion.Version, Incident.Plural);
        var events = new EventRecorder(new KubernetesEventSink(client), options.ControllerName, options.Identity, time, loggers.CreateLogger<EventRecorder>());
        var parts = new OperatorParts(
            manager, client, cache, observer, nodeOoms,
            new PolicyResolver(cache, options.Policy),
            new IncidentStatusStore(incidents, loggers.CreateLogger<IncidentStatusStore>()),
            new IncidentEventRecorder(events),
            options.ControllerName,
            // One egress-checked client for every URL probe, for the operator's life; the runner times each GET.
            new Probing(new ProbeRunner(client, EgressHttp.CreateClient(options.Egress), time), new ProbeStreaks()),
            new CronJobCache(
                informers.Create(KubernetesSources.CronJobs, CronJobProjections.CronJob),
                informers.Create(KubernetesSources.Jobs, CronJobProjections.Job, (Indexers.ByControllerOwner, Indexers.ControllerOwner)),
                cache.Pods));
        foreach (var feature in options.Features)
        {
            feature.Setup(parts);
        }

        return new OperatorInstance(manager, observer, metrics);
    }

    private static ClusterCache CreateCache(InformerFactory informers) => new(
        informers.Create(KubernetesSources.Deployments, Projections.Deployment),
        informers.Create(KubernetesSources.ReplicaSets, Projections.ReplicaSet, (Indexers.ByControllerOwner, Indexers.ControllerOwner)),
        informers.Create(KubernetesSources.Pods, Projections.Pod(new StringPool()), (Indexers.ByControllerOwner, Indexers.ControllerOwner), (ClusterCache.PodsByNode, ClusterCache.PodNode)),
        informers.Create(Custom<Incident>(Incident.Plural), CachedResource<Incident>.Project, (ClusterCache.IncidentsByTarget, ClusterCache.TargetIndex)),
        informers.Create(Custom<Runbook>(Runbook.Plural), CachedResource<Runbook>.Project),
        informers.Create(Custom<RemediationPolicy>(RemediationPolicy.Plural), CachedResource<RemediationPolicy>.Project),
        new WorkloadInformers(
            informers.Create(KubernetesSources.StatefulSets, WorkloadProjections.StatefulSet),
            informers.Create(KubernetesSources.DaemonSets, WorkloadProjections.DaemonSet),
            informers.Create(KubernetesSources.ControllerRevisions, WorkloadProjections.ControllerRevision, (Indexers.ByControllerOwner, Indexers.ControllerOwner))));

    private static Func<IKubernetes, string?, IListWatchSource<T>> Custom<T>(string plural)
        where T : k8s.IKubernetesObject<k8s.Models.V1ObjectMeta> =>
        (client, ns) => KubernetesSources.CustomObjects<T>(client, GroupVersion.Group, GroupVersion.Version, plural, ns);
}
