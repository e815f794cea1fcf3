using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Operator.Actions;
using IncidentResponder.Operator.Egress;
using IncidentResponder.Operator.GitOpsOwners;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Controllers;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Controllers;

/// <summary>Incidents, keyed by Incident: woken by the Incident and by any change of the Deployment an open incident is about.</summary>
public sealed record IncidentFeature(IncidentOptions Options) : IOperatorFeature
{
    // The HTTP flag provider's first retry waits this long, then each waits twice the one before (1s, 2s, 4s...).
    private static readonly TimeSpan FirstFlagRetryDelay = TimeSpan.FromSeconds(1);

    public void Setup(OperatorParts parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var (client, cache, loggers) = (parts.Client, parts.Cache, parts.Manager.Loggers);

        // One client for every flag endpoint, for the operator's life (connection reuse), that connects only where the
        // admin's egress policy allows and follows no redirect. No HttpClient timeout: the provider times each attempt.
        var flagEndpoints = EgressHttp.CreateClient(Options.Egress);
        var gitops = new GitOpsReads(client);
        var workloads = new WorkloadApi(client);
        var contexts = new IncidentContextBuilder(workloads, cache, parts.Policies, parts.Observer, new HpaObserver(client), new FlagObserver(client, new OpenFeatureFlag(client)),
            new GitOpsObserver(gitops, Options.GitOps, parts.Manager.Time), parts.Probing, new CronJobTargets(client, parts.CronJobs, parts.Policies));
        var effects = new EffectRunner(
            new RolloutUndo(client), new ControllerRevisionUndo(client, workloads, cache), new MemoryLimitRaise(workloads, client), new DeploymentScale(client, workloads), new HpaScale(client), new RolloutRestart(client),
            new ConfigMapFlag(client), new OpenFeatureFlag(client), new HttpFlag(client, flagEndpoints, FirstFlagRetryDelay), new OwnerPatcher(gitops), loggers.CreateLogger<EffectRunner>());
        ControllerBuilder.ManagedBy(parts.Manager)
            .Named(IncidentReconciler.Name)
            .For(cache.Incidents.Members)
            .Watches(cache.Deployments.Members, d => OpenIncidentsOf(cache, d.Namespace, d.Name))
            .Watches(cache.StatefulSets.Members, d => OpenIncidentsOf(cache, d.Namespace, d.Name))
            .Watches(cache.DaemonSets.Members, d => OpenIncidentsOf(cache, d.Namespace, d.Name))
            .Watches(parts.CronJobs.CronJobs.Members, c => OpenIncidentsOf(cache, c.Namespace, c.Name))
            .Complete(new IncidentReconciler(cache, new IncidentDeclarer(client, cache, parts.Policies, parts.Statuses, parts.Events),
                new IncidentPeopleRequests(cache, parts.Statuses, parts.Events), contexts, parts.Statuses, effects, parts.Events, Options, parts.Manager.Time, loggers.CreateLogger<IncidentReconciler>()));
    }

    private static IEnumerable<ReconcileRequest> OpenIncidentsOf(ClusterCache cache, string ns, string target) =>
        cache.IncidentsOf(ns, target)
            .Where(i => i.Status?.Phase is { } phase && !((IncidentPhase?)phase).IsClosed() && !((IncidentPhase?)phase).IsHeldByPeople())
            .Select(i => new ReconcileRequest(ns, i.Metadata.Name));
}
