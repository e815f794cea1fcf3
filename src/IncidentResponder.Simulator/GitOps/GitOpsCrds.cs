using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator.GitOps;

/// <summary>
/// The upstream Argo CD and Flux CRDs (vendored in <c>GitOps/Crds</c>, see its NOTICE) and the namespaces the tools
/// run in. They are created through the store like any CRD a client posts, so serving, validation, defaulting and
/// the status subresource behave exactly as for other custom resources.
/// </summary>
public static class GitOpsCrds
{
    public static readonly ResourceType Applications = new("argoproj.io", "v1alpha1", "applications", "Application", true);
    public static readonly ResourceType GitRepositories = new("source.toolkit.fluxcd.io", "v1", "gitrepositories", "GitRepository", true);
    public static readonly ResourceType Kustomizations = new("kustomize.toolkit.fluxcd.io", "v1", "kustomizations", "Kustomization", true);
    public static readonly ResourceType HelmReleases = new("helm.toolkit.fluxcd.io", "v2", "helmreleases", "HelmRelease", true);

    private static readonly string[] Files =
    [
        "argocd-application-crd.yaml",
        "source.toolkit.fluxcd.io_gitrepositories.yaml",
        "kustomize.toolkit.fluxcd.io_kustomizations.yaml",
        "helm.toolkit.fluxcd.io_helmreleases.yaml",
    ];

    /// <summary>The vendored CRDs, parsed.</summary>
    public static IReadOnlyList<JsonObject> Definitions() => [.. Files.SelectMany(file => YamlDocuments.Parse(Read(file)))];

    internal static void Install(IClusterStore store, GitOpsOptions options)
    {
        foreach (var crd in Definitions())
        {
            store.Create(BuiltinResources.CustomResourceDefinitions, crd);
        }

        foreach (var ns in new[] { options.ArgoCdNamespace, options.FluxNamespace }.Distinct(StringComparer.Ordinal))
        {
            if (store.Get(BuiltinResources.Namespaces, null, ns) is null)
            {
                store.Create(BuiltinResources.Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });
            }
        }
    }

    private static string Read(string file)
    {
        using var stream = typeof(GitOpsCrds).Assembly.GetManifestResourceStream("GitOps.Crds." + file)
            ?? throw new InvalidOperationException($"embedded CRD {file} is missing from the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
