namespace IncidentResponder.Core.GitOps;

/// <summary>The GitOps tool that applies a workload from git, and so undoes a live change to what git declares.</summary>
public enum GitOpsTool
{
    ArgoCD,
    Flux,
}

/// <summary>
/// The object of a GitOps tool that applies a workload: an Argo CD Application, a Flux Kustomization or a Flux
/// HelmRelease, with how it was recognised (which annotation or label said so).
/// </summary>
/// <param name="Kind">Application, Kustomization or HelmRelease.</param>
/// <param name="Evidence">What on the workload named the owner, in words for the incident's record.</param>
public sealed record GitOpsOwner(GitOpsTool Tool, string Kind, string Namespace, string Name, string Evidence)
{
    public const string Application = "Application";
    public const string Kustomization = "Kustomization";
    public const string HelmRelease = "HelmRelease";

    public override string ToString() => $"{Tool} {Kind} {Namespace}/{Name}";
}
