using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Actions;
using IncidentResponder.Operator.Controllers;
using IncidentResponder.Operator.Health;
using IncidentResponder.Operator.Metrics;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Controllers;
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
/// The one place the operator is put together: informers (projected and indexed) for every watched namespace, the
/// four controllers and their watches, the event recorder, leader election, probes and metrics. The <c>run</c> and
/// <c>demo</c> commands and the tests all start the operator through <see cref="Create"/>.
/// </summary>
public static class OperatorAssembly
{
    // One client for every flag endpoint, for the process's life (connection reuse; no socket exhaustion). No
    // HttpClient timeout: the HTTP flag provider times each attempt itself, as the runbook says.
    private static readonly HttpClient FlagEndpoints = new() { Timeout = Timeout.InfiniteTimeSpan };

    // The HTTP flag provider's first retry waits this long, then each waits twice the one before (1s, 2s, 4s...).
    private static readonly TimeSpan FirstFlagRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>The user agent of the operator's API requests (audit logs, and the RBAC test that reads them).</summary>
    public const string UserAgent = "incident-responder";

    /// <param name="lossHandler">What to do when leadership is lost; required when leader election is configured.</param>
    public static OperatorInstance Create(
        IKubernetes client, OperatorOptions options, ILoggerFactory loggers, TimeProvider time,
        ILeadershipLossHandler? lossHandler = null, RuntimeMetrics? metrics = null)
    {
        metrics ??= RuntimeMetrics.CreateIsolated();
        var election = options.LeaderElection is { } leaderElection
            ? new LeaderElectionService(client, leaderElection,
                lossHandler ?? throw new ArgumentException("leader election needs a leadership loss handler", nameof(lossHandler)),
                metrics, loggers.CreateLogger<LeaderElectionService>(), time)
            : null;
        var manager = new ControllerManager(new ManagerOptions { LeaderElection = options.LeaderElection, Health = options.Health }, metrics, loggers, election);
        var informers = new InformerFactory(client, options, metrics, loggers, time, manager);
        var cache = CreateCache(informers);
        MetricsWiring.Add(cache, manager, metrics);
        HealthWiring.Add(manager, client, options, time);
        var nodeOoms = NodeOomWiring.Create(informers, options);

        var observer = new TargetObserver(cache, nodeOoms);
        var policies = new PolicyResolver(cache, options);
        var incidentClient = new CustomObjectClient<Incident>(client, GroupVersion.Group, GroupVersion.Version, Incident.Plural);
        var statuses = new IncidentStatusStore(incidentClient, loggers.CreateLogger<IncidentStatusStore>());
        var recorder = new IncidentEventRecorder(new EventRecorder(new KubernetesEventSink(client), options.ControllerName, options.Identity, time,
            loggers.CreateLogger<EventRecorder>()));

        var detection = Add(manager, metrics, loggers, time, RolloutDetectionReconciler.Name, workers: 2,
            new RolloutDetectionReconciler(cache, policies, observer,
                new IncidentOpener(client, cache, observer, statuses, recorder, loggers.CreateLogger<IncidentOpener>()), options, time));
        var incidents = Add(manager, metrics, loggers, time, IncidentReconciler.Name, workers: 1,
            new IncidentReconciler(cache, new IncidentContextBuilder(client, cache, policies, observer, new HpaObserver(client), new FlagObserver(client, new OpenFeatureFlag(client))), statuses,
                new EffectRunner(new RolloutUndo(client), new MemoryLimitRaise(client), new DeploymentScale(client), new HpaScale(client), new RolloutRestart(client), new ConfigMapFlag(client), new OpenFeatureFlag(client), new HttpFlag(client, FlagEndpoints, FirstFlagRetryDelay), recorder, loggers.CreateLogger<EffectRunner>()), recorder, options, time,
                loggers.CreateLogger<IncidentReconciler>()));
        var runbooks = Add(manager, metrics, loggers, time, RunbookStatusReconciler.Name, workers: 1,
            new RunbookStatusReconciler(cache, new StatusWriter<Runbook>(
                new CustomObjectClient<Runbook>(client, GroupVersion.Group, GroupVersion.Version, Runbook.Plural), loggers.CreateLogger<RunbookStatusReconciler>()), time));
        var policyStatus = Add(manager, metrics, loggers, time, PolicyStatusReconciler.Name, workers: 1,
            new PolicyStatusReconciler(cache, policies, new StatusWriter<RemediationPolicy>(
                new CustomObjectClient<RemediationPolicy>(client, GroupVersion.Group, GroupVersion.Version, RemediationPolicy.Plural),
                loggers.CreateLogger<PolicyStatusReconciler>()), time));

        OperatorWatches.Connect(cache, detection, incidents, runbooks, policyStatus);
        NodeOomWiring.Connect(nodeOoms, cache, detection);
        Evidence.EvidenceWiring.Add(manager, client, cache, recorder, options, metrics, loggers, time);
        manager.AddReadinessCheck(Notifications.NotificationWiring.Add(manager, cache, client, options, metrics, loggers, time));
        History.HistoryWiring.Add(manager, cache, client, options, metrics, loggers, time);
        return new OperatorInstance(manager, observer, metrics);
    }

    private static ClusterCache CreateCache(InformerFactory informers) => new(
        informers.Create(KubernetesSources.Deployments, Projections.Deployment),
        informers.Create(KubernetesSources.ReplicaSets, Projections.ReplicaSet, (Indexers.ByControllerOwner, Indexers.ControllerOwner)),
        informers.Create(KubernetesSources.Pods, Projections.Pod, (Indexers.ByControllerOwner, Indexers.ControllerOwner), (NodeOomWiring.PodsByNode, NodeOomWiring.PodNode)),
        informers.Create(Custom<Incident>(Incident.Plural), CachedResource<Incident>.Project, (ClusterCache.IncidentsByTarget, ClusterCache.TargetIndex)),
        informers.Create(Custom<Runbook>(Runbook.Plural), CachedResource<Runbook>.Project),
        informers.Create(Custom<RemediationPolicy>(RemediationPolicy.Plural), CachedResource<RemediationPolicy>.Project));

    private static Func<IKubernetes, string?, IListWatchSource<T>> Custom<T>(string plural)
        where T : k8s.IKubernetesObject<k8s.Models.V1ObjectMeta> =>
        (client, ns) => KubernetesSources.CustomObjects<T>(client, GroupVersion.Group, GroupVersion.Version, plural, ns);

    private static Controller Add(ControllerManager manager, RuntimeMetrics metrics, ILoggerFactory loggers, TimeProvider time, string name, int workers, IReconciler reconciler)
    {
        var controller = new Controller(new ControllerOptions { Name = name, MaxConcurrentReconciles = workers }, reconciler, metrics,
            loggers.CreateLogger($"IncidentResponder.Controller.{name}"), time);
        manager.Add(controller);
        return controller;
    }
}
