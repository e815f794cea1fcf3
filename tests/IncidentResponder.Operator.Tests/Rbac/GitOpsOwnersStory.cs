using IncidentResponder.Operator.Tests.Support;

namespace IncidentResponder.Operator.Tests.Rbac;

/// <summary>
/// Bad rollouts of three Deployments that GitOps tools apply: one by an Argo CD Application, one by a Flux
/// Kustomization, one by a Flux HelmRelease (itself applied by that Kustomization). The operator reads each owner and
/// its GitRepository, pauses the owner before rolling back, and learns by a dry run whether Argo CD knows
/// automated.enabled: every GitOps request it makes. The owners' sources are unreachable, so nothing else moves.
/// </summary>
internal static class GitOpsOwnersStory
{
    private static readonly string[] Names = ["argoweb", "fluxweb", "helmweb"];

    public static async Task RunAsync(OperatorCluster cluster)
    {
        foreach (var ns in new[] { "argocd", "flux-system" })
        {
            await cluster.Kubectl.RunAsync("create", "namespace", ns);
        }

        await cluster.Kubectl.ApplyAsync(Owners + "\n---\n" + Policy + "\n---\n" + string.Join("\n---\n", Names.Select(Deployment)));
        foreach (var name in Names)
        {
            (await cluster.Kubectl.RunAsync("rollout", "status", $"deployment/{name}", "--timeout=60s")).ShouldSucceed();
        }

        foreach (var name in Names)
        {
            await cluster.BadRolloutAsync(name, "crashloop");
        }

        await Eventually.TrueAsync(
            () => new[] { "applications", "kustomizations", "helmreleases" }.All(resource => cluster.Cluster.Hooks.AuditLog.Any(r =>
                r is { Verb: "patch", StatusCode: 200 } && r.Resource == resource && r.UserAgent?.StartsWith("kubectl", StringComparison.Ordinal) != true
                && !r.Path.Contains("dryRun", StringComparison.Ordinal))),
            "the operator to pause the Application, the Kustomization and the HelmRelease");
    }

    // The marks each tool leaves on what it applies: Argo CD's tracking annotation, Flux's ownership labels.
    private static (string Labels, string Annotations) Marks(string name) => name switch
    {
        "argoweb" => ("{app: argoweb, gitops: argo}", "{argocd.argoproj.io/tracking-id: \"argoweb:apps/Deployment:default/argoweb\"}"),
        "fluxweb" => ("{app: fluxweb, gitops: flux, kustomize.toolkit.fluxcd.io/name: fluxweb, kustomize.toolkit.fluxcd.io/namespace: flux-system}", "{}"),
        _ => ("{app: helmweb, gitops: helm, helm.toolkit.fluxcd.io/name: helmweb, helm.toolkit.fluxcd.io/namespace: flux-system}", "{}"),
    };

    private static string Deployment(string name) => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{name}}
          labels: {{Marks(name).Labels}}
          annotations: {{Marks(name).Annotations}}
        spec:
          replicas: 1
          selector:
            matchLabels: {app: {{name}}}
          template:
            metadata:
              labels: {app: {{name}}}
            spec:
              containers:
                - name: nginx
                  image: nginx:1.25
        """;

    private const string Owners = """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: argoweb
          namespace: argocd
        spec:
          project: default
          source: {repoURL: "https://git.example.invalid/shop.git", path: apps/web, targetRevision: main}
          destination: {server: "https://kubernetes.default.svc", namespace: default}
          syncPolicy:
            automated: {prune: true, selfHeal: true}
        ---
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: GitRepository
        metadata:
          name: shop
          namespace: flux-system
        spec:
          interval: 1h
          url: https://git.example.invalid/shop.git
          ref: {branch: main}
        ---
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: fluxweb
          namespace: flux-system
        spec:
          interval: 1h
          path: ./apps
          prune: true
          sourceRef: {kind: GitRepository, name: shop}
        ---
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata:
          name: helmweb
          namespace: flux-system
          labels: {kustomize.toolkit.fluxcd.io/name: fluxweb, kustomize.toolkit.fluxcd.io/namespace: flux-system}
        spec:
          interval: 1h
          chart:
            spec:
              chart: ./charts/web
              sourceRef: {kind: GitRepository, name: shop}
          driftDetection: {mode: enabled}
          values:
            image: {tag: "1.25"}
        """;

    private const string Policy = """
        apiVersion: incidentresponder.dev/v1alpha1
        kind: RemediationPolicy
        metadata:
          name: gitops
        spec:
          selector: {matchExpressions: [{key: gitops, operator: Exists}]}
          signals:
            - {signal: CrashLoop, runbookRef: {name: bad-rollout}}
          modes: {default: Automatic}
          detection: {minAffectedPods: 1, minAffectedPercent: 50, holdFor: 1s, lastKnownGoodSoak: 1s}
          guardrails: {cooldownPerTarget: 1s, maxConcurrentIncidents: 5}
        """;
}
