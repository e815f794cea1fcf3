using IncidentResponder.Core.Alerts;
using IncidentResponder.Runtime.Client;
using k8s;
using k8s.Models;

namespace IncidentResponder.Operator.Intake;

/// <summary>
/// Reads, live from the API server, exactly the objects an alert group names: the Deployments (GET), the pods (GET)
/// and their ReplicaSets (GET), the Services (GET) and, for a Service, the Deployments of its namespace (LIST) to find
/// the one it selects. Live reads, not the informer caches, so the answer does not depend on which replica Alertmanager
/// reached or whether its caches have synced. An object that is not found is simply absent from the facts.
/// </summary>
public sealed class TargetFactsReader(IKubernetes client)
{
    public async Task<TargetFacts> ReadAsync(TargetLookups lookups, IReadOnlyCollection<string> watched, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lookups);
        var deployments = new Dictionary<ObjectKey, DeploymentFact>();
        var pods = new Dictionary<ObjectKey, OwnerFact?>();
        var replicaSets = new Dictionary<ObjectKey, OwnerFact?>();
        var services = new Dictionary<ObjectKey, IReadOnlyDictionary<string, string>?>();

        foreach (var ns in lookups.NamespacesOfServices)
        {
            var list = await client.AppsV1.ListNamespacedDeploymentAsync(ns, cancellationToken: cancellationToken);
            foreach (var deployment in list.Items)
            {
                deployments[new ObjectKey(ns, deployment.Metadata.Name)] = Fact(deployment);
            }
        }

        foreach (var key in lookups.Deployments.Where(k => !deployments.ContainsKey(k)))
        {
            await AddDeploymentAsync(key, deployments, cancellationToken);
        }

        foreach (var key in lookups.Pods)
        {
            var pod = await ApiReads.GetOrNullAsync(() => client.CoreV1.ReadNamespacedPodAsync(key.Name, key.Namespace, cancellationToken: cancellationToken));
            if (pod is null)
            {
                continue;
            }

            var owner = Controller(pod.Metadata);
            pods[key] = owner;
            if (owner is { Kind: "ReplicaSet" } && !replicaSets.ContainsKey(new ObjectKey(key.Namespace, owner.Name)))
            {
                var replicaSet = await ApiReads.GetOrNullAsync(() => client.AppsV1.ReadNamespacedReplicaSetAsync(owner.Name, key.Namespace, cancellationToken: cancellationToken));
                if (replicaSet is null)
                {
                    continue;
                }

                var replicaSetOwner = Controller(replicaSet.Metadata);
                replicaSets[new ObjectKey(key.Namespace, owner.Name)] = replicaSetOwner;
                if (replicaSetOwner is { Kind: "Deployment" })
                {
                    await AddDeploymentAsync(new ObjectKey(key.Namespace, replicaSetOwner.Name), deployments, cancellationToken);
                }
            }
        }

        foreach (var key in lookups.Services)
        {
            var service = await ApiReads.GetOrNullAsync(() => client.CoreV1.ReadNamespacedServiceAsync(key.Name, key.Namespace, cancellationToken: cancellationToken));
            if (service is not null)
            {
                services[key] = service.Spec?.Selector is { } selector ? new Dictionary<string, string>(selector) : null;
            }
        }

        return new TargetFacts(watched, deployments, lookups.NamespacesOfServices, pods, replicaSets, services);
    }

    private async Task AddDeploymentAsync(ObjectKey key, Dictionary<ObjectKey, DeploymentFact> into, CancellationToken cancellationToken)
    {
        if (into.ContainsKey(key))
        {
            return;
        }

        var deployment = await ApiReads.GetOrNullAsync(() => client.AppsV1.ReadNamespacedDeploymentAsync(key.Name, key.Namespace, cancellationToken: cancellationToken));
        if (deployment is not null)
        {
            into[key] = Fact(deployment);
        }
    }

    private static DeploymentFact Fact(V1Deployment deployment) => new(
        deployment.Metadata.Name,
        deployment.Metadata.Uid ?? string.Empty,
        new Dictionary<string, string>(deployment.Metadata.Labels ?? new Dictionary<string, string>()),
        new Dictionary<string, string>(deployment.Spec?.Template?.Metadata?.Labels ?? new Dictionary<string, string>()));

    private static OwnerFact? Controller(V1ObjectMeta metadata) =>
        metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true) is { } owner ? new OwnerFact(owner.Kind, owner.Name) : null;
}
