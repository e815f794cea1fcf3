using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;
using IncidentResponder.Simulator;
using IncidentResponder.Simulator.GitOps;
using IncidentResponder.Simulator.Storage;
using IncidentResponder.Simulator.Tests.GitOps;

namespace IncidentResponder.Operator.Tests.GitOps;

/// <summary>
/// One GitOps scenario's world: a real git repository holding the web Deployment, the simulated cluster with its Argo
/// CD / Flux emulation, the scenario runbook and a policy, and a sim-faults map under which one image crash-loops.
/// </summary>
internal sealed class GitOpsScenario : IAsyncDisposable
{
    public const string GoodImage = "nginx:1.27";
    public const string BadImage = "nginx:1.26-broken";
    public const string DeploymentPath = "apps/web/deployment.yaml";

    private GitOpsScenario(OperatorCluster cluster, GitRepo repo)
    {
        Cluster = cluster;
        Repo = repo;
    }

    public OperatorCluster Cluster { get; }

    public GitRepo Repo { get; }

    public static async Task<GitOpsScenario> StartAsync(PolicySettings policy)
    {
        var repo = GitRepo.Create();
        repo.Commit("web 1.27", (DeploymentPath, GitOpsManifests.Deployment(GoodImage, ns: OperatorCluster.Namespace)));
        // The operator pushes to this repository's checked-out branch, as it would to a server's.
        repo.Git("config", "receive.denyCurrentBranch", "updateInstead");
        var cluster = await OperatorCluster.StartAsync(new GitOpsOptions { ArgoCdReconciliationInterval = TimeSpan.FromSeconds(1) });
        foreach (var ns in new[] { "argocd", "flux-system" })
        {
            if (cluster.Cluster.Store.Get(BuiltinResources.Namespaces, null, ns) is null)
            {
                cluster.Cluster.Store.Create(BuiltinResources.Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });
            }
        }

        await cluster.Kubectl.ApplyAsync($$"""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: sim-faults
            data:
              broken-web: "{{BadImage}}=crashloop"
            """);
        await cluster.ApplyRunbookAndPolicyAsync(policy);
        return new GitOpsScenario(cluster, repo);
    }

    public string? LiveImage() =>
        (string?)Cluster.Cluster.Store.Get(BuiltinResources.Deployments, OperatorCluster.Namespace, "web")?["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"];

    public JsonObject? Application(string name = "web") => Cluster.Cluster.Store.Get(GitOpsCrds.Applications, "argocd", name);

    public JsonObject? Kustomization(string name = "web") => Cluster.Cluster.Store.Get(GitOpsCrds.Kustomizations, "flux-system", name);

    /// <summary>
    /// A Flux GitRepository for the repository and a Kustomization for its web folder, polled every second. Flux's CRD
    /// admits only http(s) and ssh URLs: <paramref name="url"/> is one the simulated source-controller maps to the repository.
    /// </summary>
    public async Task ApplyFluxKustomizationAsync(string url = "https://git.example.com/shop/deploy.git")
    {
        Cluster.Cluster.Options.GitOps!.Repositories[url] = Repo.Path;
        await Cluster.Kubectl.ApplyAsync(FluxSource(url, "web", "./apps/web"));
        await Eventually.TrueAsync(() => LiveImage() == GoodImage && (string?)Kustomization()?["status"]?["lastAppliedRevision"] is not null,
            "the first release applied by Flux", TimeSpan.FromSeconds(60));
    }

    public JsonObject? HelmRelease(string name = "web") => Cluster.Cluster.Store.Get(GitOpsCrds.HelmReleases, OperatorCluster.Namespace, name);

    /// <summary>The HelmRelease manifest in git: the chart's image with a tag from the release's values, drift corrected.</summary>
    public static string HelmReleaseManifest(string tag) => $$"""
        # The web release. Releases change the tag; the repository stays.
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata:
          name: web
          namespace: {{OperatorCluster.Namespace}}
        spec:
          interval: 1s
          driftDetection:
            mode: enabled
          chart:
            spec:
              chart: ./charts/web
              sourceRef:
                kind: GitRepository
                name: shop
                namespace: flux-system
          values:
            image:
              repository: nginx
              tag: "{{tag}}"
        """;

    /// <summary>
    /// The chart and a HelmRelease of it committed to the repository, and a Kustomization applying the release from
    /// <c>deploy/</c>: the layout Flux documents for HelmReleases kept in git. Waits for the first release.
    /// </summary>
    public async Task ApplyFluxHelmReleaseAsync(string url)
    {
        Repo.Commit("web chart and release", [.. HelmCharts.Chart(), ("deploy/web.yaml", HelmReleaseManifest("1.27"))]);
        Cluster.Cluster.Options.GitOps!.Repositories[url] = Repo.Path;
        await Cluster.Kubectl.ApplyAsync(FluxSource(url, "releases", "./deploy"));
        await Eventually.TrueAsync(() => LiveImage() == GoodImage && HelmRelease() is not null, "the first release installed by Flux", TimeSpan.FromSeconds(60));
    }

    /// <summary>A bad commit that changes only the image; Flux applies it on its next interval.</summary>
    public async Task CommitBadImageForFluxAsync()
    {
        Repo.Commit("web 1.26-broken", (DeploymentPath, GitOpsManifests.Deployment(BadImage, ns: OperatorCluster.Namespace)));
        await Eventually.TrueAsync(() => LiveImage() == BadImage, "Flux to apply the bad commit", TimeSpan.FromSeconds(30));
    }

    /// <summary>An Argo CD Application for the repository's web folder with auto-sync, prune and self-heal; waits for its first healthy sync.</summary>
    public async Task ApplyArgoCdApplicationAsync(string? extraMetadata = null)
    {
        var manifest = GitOpsManifests.Application("web", Repo.Url, "apps/web", GitOpsManifests.AutomatedSelfHeal);
        if (extraMetadata is not null)
        {
            manifest = manifest.Replace("  namespace: argocd\n", "  namespace: argocd\n" + extraMetadata, StringComparison.Ordinal);
        }

        await Cluster.Kubectl.ApplyAsync(manifest);
        await Eventually.TrueAsync(() => (string?)Application()?["status"]?["health"]?["status"] == "Healthy" && LiveImage() == GoodImage,
            "the first release synced and healthy", TimeSpan.FromSeconds(60));
    }

    /// <summary>A bad release as a team makes one under GitOps: a commit that changes only the image, then a refresh.</summary>
    public async Task CommitBadImageAsync()
    {
        Repo.Commit("web 1.26-broken", (DeploymentPath, GitOpsManifests.Deployment(BadImage, ns: OperatorCluster.Namespace)));
        (await Cluster.Kubectl.RunAsync("annotate", "application/web", "-n", "argocd", "--overwrite", "argocd.argoproj.io/refresh=normal")).ShouldSucceed();
        await Eventually.TrueAsync(() => LiveImage() == BadImage, "Argo CD to sync the bad commit", TimeSpan.FromSeconds(30));
    }

    /// <summary>Patches of the Application that did not come from kubectl or the emulated Argo CD, and were not dry runs: the operator's.</summary>
    public IReadOnlyList<AuditRecord> OperatorPatches(string resource) =>
        [.. Cluster.Cluster.Hooks.AuditLog.Where(r => r is { Verb: "patch", StatusCode: 200 } && r.Resource == resource
            && r.UserAgent?.StartsWith("kubectl", StringComparison.Ordinal) != true
            && !r.Path.Contains("dryRun", StringComparison.Ordinal))];

    public async Task<Incident> IncidentAsync() =>
        await Eventually.ValueAsync(async () => (await Cluster.IncidentsAsync()).FirstOrDefault(i => i.Spec.TargetRef.Name == "web"), "an incident for web");

    /// <summary>The GitRepository <c>shop</c> for <paramref name="url"/> and a Kustomization of its <paramref name="path"/>, both polled every second.</summary>
    private static string FluxSource(string url, string kustomization, string path) => $$"""
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: GitRepository
        metadata:
          name: shop
          namespace: flux-system
        spec:
          interval: 1s
          url: {{url}}
          ref:
            branch: main
        ---
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: {{kustomization}}
          namespace: flux-system
        spec:
          interval: 1s
          path: {{path}}
          prune: true
          sourceRef:
            kind: GitRepository
            name: shop
        """;

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Repo.Dispose();
    }
}
