using IncidentResponder.Core.GitOps;

namespace IncidentResponder.Operator.GitOpsOwners;

/// <summary>Where the API serves each GitOps kind the operator reads or pauses: the versions Argo CD 2.x/3.x and Flux 2.x serve.</summary>
public sealed record GitOpsKind(string Group, string Version, string Plural)
{
    public static readonly GitOpsKind Application = new("argoproj.io", "v1alpha1", "applications");
    public static readonly GitOpsKind Kustomization = new("kustomize.toolkit.fluxcd.io", "v1", "kustomizations");
    public static readonly GitOpsKind HelmRelease = new("helm.toolkit.fluxcd.io", "v2", "helmreleases");
    public static readonly GitOpsKind GitRepository = new("source.toolkit.fluxcd.io", "v1", "gitrepositories");

    public static GitOpsKind Of(GitOpsOwner owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return owner.Kind switch
        {
            GitOpsOwner.Application => Application,
            GitOpsOwner.HelmRelease => HelmRelease,
            _ => Kustomization,
        };
    }
}
