using System.Net;
using System.Text.Json.Nodes;
using IncidentResponder.Core.GitOps;
using IncidentResponder.Simulator.GitOps;
using IncidentResponder.Simulator.Storage;
using k8s;
using k8s.Autorest;

namespace IncidentResponder.Operator.Bench;

/// <summary>
/// Makes a share of the bad-rollout targets look applied by Argo CD: the Deployment carries Argo CD's tracking
/// annotation and a self-healing Application of that name exists in <c>argocd</c>. Only the Application CRD is served
/// (from the simulator's vendored copy); the GitOps emulation stays off, so nothing syncs and the fleet changes only as
/// the benchmark says, while the operator still has to read and pause each owner before its rollback.
/// </summary>
internal static class GitOpsOwnedTargets
{
    public const string ArgoCdNamespace = "argocd";

    /// <summary>
    /// The owned targets, interleaved with the plain ones (target k is owned when floor((k+1)F) passes an integer),
    /// so both kinds are injected through the whole run and see the same load.
    /// </summary>
    public static IReadOnlySet<(string Namespace, string Name)> Pick(IReadOnlyList<FleetMember> targets, double share) =>
        targets.Where((_, k) => Math.Floor((k + 1) * share) > Math.Floor(k * share)).Select(t => (t.Namespace, t.Name)).ToHashSet();

    public static string ApplicationName(string ns, string name) => $"{ns}-{name}";

    /// <summary>Serves the Application CRD, creates the Applications over HTTP and marks the Deployments, before the operator starts.</summary>
    public static async Task InstallAsync(ClusterStore store, IKubernetes admin, IReadOnlySet<(string Namespace, string Name)> owned, CancellationToken cancellationToken)
    {
        if (owned.Count == 0)
        {
            return;
        }

        // The cheapest way to serve one CRD: store the vendored definition, as the emulation's installer does for all four.
        foreach (var crd in GitOpsCrds.Definitions().Where(c => (string?)c["spec"]?["names"]?["kind"] == GitOpsCrds.Applications.Kind))
        {
            store.Create(BuiltinResources.CustomResourceDefinitions, crd);
        }

        if (store.Get(BuiltinResources.Namespaces, null, ArgoCdNamespace) is null)
        {
            store.Create(BuiltinResources.Namespaces, WorkloadObjects.Namespace(ArgoCdNamespace));
        }

        foreach (var (ns, name) in owned)
        {
            var app = ApplicationName(ns, name);
            await CreateWhenServedAsync(admin, Application(app, ns, name), cancellationToken).ConfigureAwait(false);
            var deployment = store.Get(BuiltinResources.Deployments, ns, name)!;
            deployment["metadata"]!["annotations"]![ArgoCdTrackingId.Annotation] = $"{app}:apps/Deployment:{ns}/{name}";
            store.Update(BuiltinResources.Deployments, deployment);
        }
    }

    /// <summary>As an Argo CD user writes it: automated sync with prune and selfHeal, one folder of one repository.</summary>
    private static JsonObject Application(string app, string ns, string name) => new()
    {
        ["apiVersion"] = GitOpsCrds.Applications.ApiVersion,
        ["kind"] = GitOpsCrds.Applications.Kind,
        ["metadata"] = new JsonObject { ["name"] = app, ["namespace"] = ArgoCdNamespace },
        ["spec"] = new JsonObject
        {
            ["project"] = "default",
            ["source"] = new JsonObject { ["repoURL"] = "https://git.example.com/fleet.git", ["path"] = $"apps/{ns}/{name}", ["targetRevision"] = "main" },
            ["destination"] = new JsonObject { ["server"] = "https://kubernetes.default.svc", ["namespace"] = ns },
            ["syncPolicy"] = new JsonObject { ["automated"] = new JsonObject { ["prune"] = true, ["selfHeal"] = true } },
        },
    };

    /// <summary>A CRD is served a moment after it is stored: retry on 404 until it is.</summary>
    private static async Task CreateWhenServedAsync(IKubernetes client, JsonObject body, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                await client.CustomObjects.CreateNamespacedCustomObjectAsync(body, GitOpsCrds.Applications.Group, GitOpsCrds.Applications.Version,
                    ArgoCdNamespace, GitOpsCrds.Applications.Resource, cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.NotFound && DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
