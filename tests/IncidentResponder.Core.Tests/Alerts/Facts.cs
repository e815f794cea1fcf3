using IncidentResponder.Core.Alerts;

namespace IncidentResponder.Core.Tests.Alerts;

/// <summary>A small cluster as the shell would report it: Deployments with their pods' labels, pods, ReplicaSets, Services.</summary>
internal sealed class Facts
{
    private readonly Dictionary<ObjectKey, DeploymentFact> _deployments = [];
    private readonly HashSet<string> _listed = [];
    private readonly Dictionary<ObjectKey, OwnerFact?> _pods = [];
    private readonly Dictionary<ObjectKey, OwnerFact?> _replicaSets = [];
    private readonly Dictionary<ObjectKey, IReadOnlyDictionary<string, string>?> _services = [];

    public IReadOnlyCollection<string> Watched { get; init; } = [];

    public Facts Deployment(string ns, string name, string app)
    {
        _deployments[new ObjectKey(ns, name)] = new DeploymentFact(name, $"uid-{name}", new Dictionary<string, string> { ["team"] = "shop" },
            new Dictionary<string, string> { ["app"] = app, ["pod-template-hash"] = "abc" });
        _listed.Add(ns);
        return this;
    }

    /// <summary>A pod of the Deployment, through a ReplicaSet, as the Deployment controller creates them.</summary>
    public Facts PodOf(string ns, string pod, string deployment)
    {
        _pods[new ObjectKey(ns, pod)] = new OwnerFact("ReplicaSet", deployment + "-abc");
        _replicaSets[new ObjectKey(ns, deployment + "-abc")] = new OwnerFact("Deployment", deployment);
        return this;
    }

    public Facts Pod(string ns, string pod, OwnerFact? owner)
    {
        _pods[new ObjectKey(ns, pod)] = owner;
        return this;
    }

    public Facts Service(string ns, string name, IReadOnlyDictionary<string, string>? selector)
    {
        _services[new ObjectKey(ns, name)] = selector;
        return this;
    }

    public TargetFacts Build() => new(Watched, _deployments, _listed, _pods, _replicaSets, _services);
}
