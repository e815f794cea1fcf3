using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Evidence;
using IncidentResponder.Operator.Controllers;
using IncidentResponder.Operator.Hosting;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Operator.Postmortems;
using IncidentResponder.Runtime.Controllers;
using IncidentResponder.Runtime.Hosting;
using IncidentResponder.Runtime.Metrics;
using IncidentResponder.Runtime.Status;
using k8s;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Evidence;

/// <summary>
/// Puts the incident's written record together: the evidence controller and the post-mortem controller, each keyed by
/// Incident on its own queue, woken by every change of an Incident. Wired together because the post-mortem reads the
/// evidence the other one stores.
/// </summary>
public static class EvidenceWiring
{
    public static void Add(ControllerManager manager, IKubernetes client, ClusterCache cache, IncidentEventRecorder recorder, OperatorOptions options,
        RuntimeMetrics metrics, ILoggerFactory loggers, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(options);
        var configMaps = new IncidentConfigMaps(client);
        var incidents = new CustomObjectClient<Incident>(client, GroupVersion.Group, GroupVersion.Version, Incident.Plural);
        var collector = new EvidenceCollector(client, cache, new PodLogReader(client), new TargetEventReader(client, options.ControllerName), EvidenceLimits.Default);
        var evidence = Add(manager, metrics, loggers, time, EvidenceReconciler.Name, workers: 2, new EvidenceReconciler(cache, collector, configMaps,
            new StatusWriter<Incident>(incidents, loggers.CreateLogger<EvidenceReconciler>()), recorder, time, loggers.CreateLogger<EvidenceReconciler>()));
        var postmortems = Add(manager, metrics, loggers, time, PostmortemReconciler.Name, workers: 1, new PostmortemReconciler(cache, configMaps, loggers.CreateLogger<PostmortemReconciler>()));
        foreach (var informer in cache.Incidents.Members)
        {
            evidence.For(informer);
            postmortems.For(informer);
        }
    }

    private static Controller Add(ControllerManager manager, RuntimeMetrics metrics, ILoggerFactory loggers, TimeProvider time, string name, int workers, IReconciler reconciler)
    {
        var controller = new Controller(new ControllerOptions { Name = name, MaxConcurrentReconciles = workers }, reconciler, metrics,
            loggers.CreateLogger($"IncidentResponder.Controller.{name}"), time);
        manager.Add(controller);
        return controller;
    }
}
