namespace IncidentResponder.Core.Alerts;

/// <summary>A namespaced object's identity.</summary>
public sealed record ObjectKey(string Namespace, string Name);

/// <summary>An object's controlling owner (ownerReferences with controller: true).</summary>
public sealed record OwnerFact(string Kind, string Name);

/// <summary>What mapping needs to know of a Deployment: its own labels (for policies) and its pods' (for Services).</summary>
public sealed record DeploymentFact(string Name, string Uid, IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> PodLabels);

/// <summary>The objects an alert group names, as the shell found them. What is absent from a map was not found.</summary>
/// <param name="WatchedNamespaces">The namespaces the operator acts in; empty means all.</param>
/// <param name="DeploymentsListed">Namespaces whose Deployments are all in <paramref name="Deployments"/> (a Service is matched against them).</param>
/// <param name="Pods">Each pod found, with its controller (null: it has none).</param>
/// <param name="ReplicaSets">Each ReplicaSet found, with its controller.</param>
/// <param name="Services">Each Service found, with its selector (null or empty: it selects no pods by label).</param>
public sealed record TargetFacts(
    IReadOnlyCollection<string> WatchedNamespaces,
    IReadOnlyDictionary<ObjectKey, DeploymentFact> Deployments,
    IReadOnlyCollection<string> DeploymentsListed,
    IReadOnlyDictionary<ObjectKey, OwnerFact?> Pods,
    IReadOnlyDictionary<ObjectKey, OwnerFact?> ReplicaSets,
    IReadOnlyDictionary<ObjectKey, IReadOnlyDictionary<string, string>?> Services)
{
    public static TargetFacts Empty(IReadOnlyCollection<string> watched) =>
        new(watched, new Dictionary<ObjectKey, DeploymentFact>(), [], new Dictionary<ObjectKey, OwnerFact?>(),
            new Dictionary<ObjectKey, OwnerFact?>(), new Dictionary<ObjectKey, IReadOnlyDictionary<string, string>?>());

    public bool Watches(string ns) => WatchedNamespaces.Count == 0 || WatchedNamespaces.Contains(ns);
}

/// <summary>The objects the shell must look up before an alert group can be mapped.</summary>
public sealed record TargetLookups(IReadOnlySet<ObjectKey> Deployments, IReadOnlySet<ObjectKey> Pods, IReadOnlySet<ObjectKey> Services)
{
    /// <summary>Namespaces whose Deployments must all be listed, to find the one a Service selects.</summary>
    public IReadOnlySet<string> NamespacesOfServices => Services.Select(s => s.Namespace).ToHashSet(StringComparer.Ordinal);
}
