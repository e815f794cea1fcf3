namespace IncidentResponder.Core.GitOps;

/// <summary>How the cluster's GitOps tools are set up, where it matters for recognising what they own.</summary>
/// <param name="ArgoCdNamespace">Argo CD's control-plane namespace: Applications named without a namespace live here.</param>
/// <param name="ArgoCdInstanceLabel">
/// The label Argo CD's label tracking writes (application.instanceLabelKey in argocd-cm; upstream's default
/// <c>app.kubernetes.io/instance</c>). Null turns label tracking off, for clusters whose Argo CD tracks by annotation
/// only and where that label is set by charts for other reasons.
/// </param>
public sealed record GitOpsSettings(string ArgoCdNamespace = "argocd", string? ArgoCdInstanceLabel = GitOpsOwnership.DefaultInstanceLabel);

/// <summary>
/// Which GitOps object applies a workload, read from the marks the tools themselves put on what they apply. Pure: the
/// shell passes the workload's identity, labels and annotations.
/// </summary>
public static class GitOpsOwnership
{
    public const string DefaultInstanceLabel = "app.kubernetes.io/instance";
    public const string KustomizeNameLabel = "kustomize.toolkit.fluxcd.io/name";
    public const string KustomizeNamespaceLabel = "kustomize.toolkit.fluxcd.io/namespace";
    public const string HelmNameLabel = "helm.toolkit.fluxcd.io/name";
    public const string HelmNamespaceLabel = "helm.toolkit.fluxcd.io/namespace";

    /// <summary>
    /// The owner of the workload <paramref name="group"/>/<paramref name="kind"/> <paramref name="ns"/>/<paramref name="name"/>,
    /// or null when no GitOps tool marks it. A HelmRelease wins over a Kustomization (it applies the rendered workload;
    /// the Kustomization applies the HelmRelease), and Flux's labels over Argo CD's instance label, which charts often
    /// set for their own reasons; Argo CD's tracking annotation is exact and is taken when it describes this object.
    /// </summary>
    public static GitOpsOwner? Find(
        string group, string kind, string ns, string name,
        IReadOnlyDictionary<string, string>? labels, IReadOnlyDictionary<string, string>? annotations, GitOpsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        labels ??= new Dictionary<string, string>();
        annotations ??= new Dictionary<string, string>();

        if (annotations.TryGetValue(ArgoCdTrackingId.Annotation, out var tracking)
            && ArgoCdTrackingId.TryParse(tracking, out var id) && id.Describes(group, kind, ns, name))
        {
            return Application(id.App, settings, $"annotation {ArgoCdTrackingId.Annotation}={tracking}");
        }

        if (Pair(labels, HelmNameLabel, HelmNamespaceLabel) is { } release)
        {
            return new GitOpsOwner(GitOpsTool.Flux, GitOpsOwner.HelmRelease, release.Namespace, release.Name, $"labels {HelmNameLabel}, {HelmNamespaceLabel}");
        }

        if (Pair(labels, KustomizeNameLabel, KustomizeNamespaceLabel) is { } kustomization)
        {
            return new GitOpsOwner(GitOpsTool.Flux, GitOpsOwner.Kustomization, kustomization.Namespace, kustomization.Name,
                $"labels {KustomizeNameLabel}, {KustomizeNamespaceLabel}");
        }

        return settings.ArgoCdInstanceLabel is { Length: > 0 } key && labels.TryGetValue(key, out var instance) && instance.Length > 0
            ? Application(instance, settings, $"label {key}={instance}")
            : null;
    }

    /// <summary>
    /// Whether a Flux Kustomization's <c>status.inventory.entries[].id</c> (<c>&lt;namespace&gt;_&lt;name&gt;_&lt;group&gt;_&lt;kind&gt;</c>)
    /// lists the workload: the confirmation that does not rest on labels, which anyone can copy.
    /// </summary>
    public static bool InventoryLists(IEnumerable<string>? inventoryIds, string group, string kind, string ns, string name)
    {
        var wanted = $"{ns}_{name}_{group}_{kind}";
        return inventoryIds?.Any(entry => string.Equals(entry, wanted, StringComparison.Ordinal)) == true;
    }

    // "<appNamespace>_<appName>" names an Application outside Argo CD's namespace; a plain name one inside it.
    // Kubernetes names cannot contain '_', so the first underscore is the separator.
    private static GitOpsOwner Application(string app, GitOpsSettings settings, string evidence)
    {
        var underscore = app.IndexOf('_', StringComparison.Ordinal);
        return underscore > 0 && underscore < app.Length - 1
            ? new GitOpsOwner(GitOpsTool.ArgoCD, GitOpsOwner.Application, app[..underscore], app[(underscore + 1)..], evidence)
            : new GitOpsOwner(GitOpsTool.ArgoCD, GitOpsOwner.Application, settings.ArgoCdNamespace, app, evidence);
    }

    private static (string Namespace, string Name)? Pair(IReadOnlyDictionary<string, string> labels, string nameKey, string namespaceKey) =>
        labels.TryGetValue(nameKey, out var name) && name.Length > 0 && labels.TryGetValue(namespaceKey, out var ns) && ns.Length > 0
            ? (ns, name)
            : null;
}
