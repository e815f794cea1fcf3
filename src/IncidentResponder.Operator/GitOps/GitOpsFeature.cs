using IncidentResponder.Operator.Controllers;
using IncidentResponder.Operator.GitOpsOwners;
using IncidentResponder.Runtime.Controllers;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.GitOps;

/// <summary>
/// The GitOps follow-up, keyed by Incident on its own queue: woken by every change of an Incident that records a
/// GitOps owner, and on a poll while that owner is paused. <paramref name="Repositories"/> is the git side; null: real
/// repositories through the git CLI.
/// </summary>
public sealed record GitOpsFeature(GitOpsOptions Options, IGitOpsRepositories? Repositories = null) : IOperatorFeature
{
    public void Setup(OperatorParts parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var (client, cache, manager) = (parts.Client, parts.Cache, parts.Manager);
        var reads = new GitOpsReads(client);
        var reconciler = new GitOpsReconciler(client, cache, new GitOpsObserver(reads, Options.Settings, manager.Time), new OwnerPatcher(reads), reads,
            Repositories ?? new GitOpsRepositories(manager.Loggers.CreateLogger<GitOpsRepositories>()), parts.Statuses, parts.Events, Options, manager.Time, manager.Loggers.CreateLogger<GitOpsReconciler>());
        ControllerBuilder.ManagedBy(manager)
            .Named(GitOpsReconciler.Name)
            .For(cache.Incidents.Members)
            .Complete(reconciler);
    }
}
