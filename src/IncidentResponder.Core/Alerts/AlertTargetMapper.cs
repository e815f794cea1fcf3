using System.Text.RegularExpressions;

namespace IncidentResponder.Core.Alerts;

/// <summary>The Deployment an alert is about, and which label led there.</summary>
public sealed record AlertTarget(string Namespace, DeploymentFact Deployment, string Via);

/// <summary>An alert with its target, or the reason it has none.</summary>
public sealed record MappedAlert(Alert Alert, AlertTarget? Target, string? UnmappedReason);

/// <summary>
/// Maps an alert to the Deployment it is about, through its labels: <c>namespace</c> plus <c>deployment</c>, else
/// <c>pod</c> (the pod's ReplicaSet's Deployment), else <c>service</c> (the one Deployment whose pods the Service
/// selects). Tried in that order because kube-state-metrics alerts carry <c>service</c>/<c>job</c> labels naming the
/// exporter itself, while <c>deployment</c> and <c>pod</c> name the object the alert is about.
/// </summary>
public static partial class AlertTargetMapper
{
    public const string NamespaceLabel = "namespace";
    public const string DeploymentLabel = "deployment";
    public const string PodLabel = "pod";
    public const string ServiceLabel = "service";

    /// <summary>What must be looked up to map every alert of the group. Alerts of unwatched namespaces need nothing.</summary>
    public static TargetLookups Lookups(AlertGroup group, IReadOnlyCollection<string> watchedNamespaces)
    {
        ArgumentNullException.ThrowIfNull(group);
        var watched = TargetFacts.Empty(watchedNamespaces);
        HashSet<ObjectKey> deployments = [], pods = [], services = [];
        foreach (var alert in group.Alerts)
        {
            if (!alert.Labels.TryGetValue(NamespaceLabel, out var ns) || !IsNamespace(ns) || !watched.Watches(ns))
            {
                continue;
            }

            Add(alert, DeploymentLabel, ns, deployments);
            Add(alert, PodLabel, ns, pods);
            Add(alert, ServiceLabel, ns, services);
        }

        return new TargetLookups(deployments, pods, services);
    }

    public static MappedAlert Map(Alert alert, TargetFacts facts)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(facts);
        if (!alert.Labels.TryGetValue(NamespaceLabel, out var ns) || ns.Length == 0)
        {
            return Unmapped(alert, "it has no namespace label");
        }

        if (!IsNamespace(ns))
        {
            return Unmapped(alert, $"its namespace label \"{Shorten(ns)}\" is not a namespace name");
        }

        if (!facts.Watches(ns))
        {
            return Unmapped(alert, $"namespace {ns} is not watched by this operator");
        }

        var tried = new List<string>();
        foreach (var (label, resolve) in new (string, Func<string, string, TargetFacts, (AlertTarget?, string)>)[]
                 { (DeploymentLabel, ByDeployment), (PodLabel, ByPod), (ServiceLabel, ByService) })
        {
            if (!alert.Labels.TryGetValue(label, out var name) || name.Length == 0)
            {
                continue;
            }

            if (!IsObjectName(name))
            {
                tried.Add($"{label} \"{Shorten(name)}\" is not an object name");
                continue;
            }

            var (target, why) = resolve(ns, name, facts);
            if (target is not null)
            {
                return new MappedAlert(alert, target, null);
            }

            tried.Add(why);
        }

        return Unmapped(alert, tried.Count == 0 ? "it has no deployment, pod or service label" : string.Join("; ", tried));
    }

    private static (AlertTarget?, string) ByDeployment(string ns, string name, TargetFacts facts) =>
        facts.Deployments.TryGetValue(new ObjectKey(ns, name), out var deployment)
            ? (new AlertTarget(ns, deployment, $"deployment {name}"), string.Empty)
            : (null, $"Deployment {ns}/{name} not found");

    private static (AlertTarget?, string) ByPod(string ns, string name, TargetFacts facts)
    {
        if (!facts.Pods.TryGetValue(new ObjectKey(ns, name), out var podOwner))
        {
            return (null, $"pod {ns}/{name} not found");
        }

        if (podOwner is not { Kind: "ReplicaSet" })
        {
            return (null, podOwner is null ? $"pod {name} has no controller" : $"pod {name} belongs to {podOwner.Kind} {podOwner.Name}, not a Deployment");
        }

        if (!facts.ReplicaSets.TryGetValue(new ObjectKey(ns, podOwner.Name), out var replicaSetOwner) || replicaSetOwner is not { Kind: "Deployment" })
        {
            return (null, $"pod {name}'s ReplicaSet {podOwner.Name} belongs to no Deployment");
        }

        return facts.Deployments.TryGetValue(new ObjectKey(ns, replicaSetOwner.Name), out var deployment)
            ? (new AlertTarget(ns, deployment, $"pod {name}"), string.Empty)
            : (null, $"pod {name}'s Deployment {replicaSetOwner.Name} not found");
    }

    private static (AlertTarget?, string) ByService(string ns, string name, TargetFacts facts)
    {
        if (!facts.Services.TryGetValue(new ObjectKey(ns, name), out var selector))
        {
            return (null, $"Service {ns}/{name} not found");
        }

        if (selector is null || selector.Count == 0)
        {
            return (null, $"Service {name} has no selector");
        }

        var selected = facts.Deployments.Where(d => d.Key.Namespace == ns && selector.All(s => d.Value.PodLabels.TryGetValue(s.Key, out var v) && v == s.Value))
            .Select(d => d.Value).OrderBy(d => d.Name, StringComparer.Ordinal).ToList();
        return selected.Count switch
        {
            1 => (new AlertTarget(ns, selected[0], $"service {name}"), string.Empty),
            0 => (null, $"Service {name} selects the pods of no Deployment"),
            // A canary and its stable Deployment behind one Service: acting on either could be the wrong one.
            _ => (null, $"Service {name} selects the pods of {selected.Count} Deployments ({string.Join(", ", selected.Select(d => d.Name))})"),
        };
    }

    private static void Add(Alert alert, string label, string ns, HashSet<ObjectKey> into)
    {
        if (alert.Labels.TryGetValue(label, out var name) && IsObjectName(name))
        {
            into.Add(new ObjectKey(ns, name));
        }
    }

    private static MappedAlert Unmapped(Alert alert, string reason) => new(alert, null, reason);

    /// <summary>
    /// Label values become parts of API paths: only valid object names are looked up, so a hostile label can never
    /// address anything else.
    /// </summary>
    public static bool IsObjectName(string name) => name.Length <= 253 && SubdomainName().IsMatch(name);

    public static bool IsNamespace(string name) => name.Length <= 63 && LabelName().IsMatch(name);

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..61] + "...";

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\z")]
    private static partial Regex SubdomainName();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?\\z")]
    private static partial Regex LabelName();
}
