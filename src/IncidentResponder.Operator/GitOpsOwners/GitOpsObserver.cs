using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using IncidentResponder.Core.GitOps;
using IncidentResponder.Operator.Observation;
using k8s.Autorest;

namespace IncidentResponder.Operator.GitOpsOwners;

/// <summary>
/// Reads what the decisions need about a Deployment's GitOps owner: which object it is (from the marks on the
/// Deployment), the object itself, the repository, folder and branch it applies from, and the commit it last saw.
/// </summary>
public sealed class GitOpsObserver(GitOpsReads reads, GitOpsSettings settings, TimeProvider time)
{
    // Whether the served Application CRD keeps automated.enabled changes rarely (an Argo CD upgrade): asked again after this.
    private static readonly TimeSpan SchemaAnswerLifetime = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, (bool Known, DateTimeOffset At)> _enabledField = new(StringComparer.Ordinal);

    public async Task<GitOpsObservation?> ObserveAsync(CachedDeployment deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var owner = GitOpsOwnership.Find("apps", "Deployment", deployment.Namespace, deployment.Name, deployment.Labels,
            deployment.Observation.Annotations, settings);
        if (owner is null)
        {
            return null;
        }

        JsonObject? ownerObject;
        try
        {
            ownerObject = await reads.GetAsync(GitOpsKind.Of(owner), owner.Namespace, owner.Name, cancellationToken);
        }
        catch (Exception failed) when (failed is HttpOperationException or HttpRequestException)
        {
            return new GitOpsObservation(owner, null, Describe(failed), false, null);
        }

        if (ownerObject is null)
        {
            return new GitOpsObservation(owner, null, $"{owner.Kind} {owner.Namespace}/{owner.Name} not found", false, null);
        }

        if (owner.Kind == GitOpsOwner.Kustomization && Inventory(ownerObject) is { } inventory
            && !GitOpsOwnership.InventoryLists(inventory, "apps", "Deployment", deployment.Namespace, deployment.Name))
        {
            return null; // the labels say Flux, its inventory says otherwise: the labels were copied, nothing applies it
        }

        var source = await SourceAsync(owner, ownerObject, cancellationToken);
        var enabledField = owner.Kind == GitOpsOwner.Application && await ArgoCdKnowsEnabledAsync(owner, ownerObject, cancellationToken);
        return new GitOpsObservation(owner, ownerObject, null, enabledField, source);
    }

    private async Task<GitOpsSource?> SourceAsync(GitOpsOwner owner, JsonObject ownerObject, CancellationToken cancellationToken)
    {
        switch (owner.Kind)
        {
            case GitOpsOwner.Application:
                var source = ownerObject["spec"]?["source"] as JsonObject ?? (ownerObject["spec"]?["sources"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault();
                var sync = ownerObject["status"]?["sync"];
                var revision = Text(sync?["revision"]) ?? (sync?["revisions"] as JsonArray)?.Select(Text).FirstOrDefault(r => r is not null);
                return Text(source?["repoURL"]) is { } url
                    ? new GitOpsSource(url, Text(source?["path"]) ?? ".", Text(source?["targetRevision"]) ?? "HEAD", revision)
                    : null;
            case GitOpsOwner.Kustomization:
                return await FluxSourceAsync(ownerObject, owner.Namespace, cancellationToken);
            default:
                // A HelmRelease's values live in its own manifest, which the Kustomization above it applies from git.
                var parentName = Text(ownerObject["metadata"]?["labels"]?[GitOpsOwnership.KustomizeNameLabel]);
                var parentNamespace = Text(ownerObject["metadata"]?["labels"]?[GitOpsOwnership.KustomizeNamespaceLabel]) ?? owner.Namespace;
                var parent = parentName is null ? null : await reads.GetAsync(GitOpsKind.Kustomization, parentNamespace, parentName, cancellationToken);
                return parent is null ? null : await FluxSourceAsync(parent, parentNamespace, cancellationToken);
        }
    }

    private async Task<GitOpsSource?> FluxSourceAsync(JsonObject kustomization, string ns, CancellationToken cancellationToken)
    {
        var sourceRef = kustomization["spec"]?["sourceRef"];
        if (Text(sourceRef?["kind"]) != "GitRepository" || Text(sourceRef?["name"]) is not { } name)
        {
            return null;
        }

        var repository = await reads.GetAsync(GitOpsKind.GitRepository, Text(sourceRef?["namespace"]) ?? ns, name, cancellationToken);
        if (Text(repository?["spec"]?["url"]) is not { } url)
        {
            return null;
        }

        var reference = repository!["spec"]?["ref"];
        // source-controller's default when no ref is given is the master branch.
        var branch = Text(reference?["branch"]) ?? Text(reference?["tag"]) ?? Text(reference?["commit"]) ?? "master";
        var path = Text(kustomization["spec"]?["path"]) ?? "./";
        return new GitOpsSource(url, path, branch, Text(repository["status"]?["artifact"]?["revision"]));
    }

    /// <summary>
    /// Whether the served Application CRD keeps spec.syncPolicy.automated.enabled (Argo CD 3.1+). A server-side dry run
    /// answers without a CRD read right: an unknown field is pruned from what the server would store.
    /// </summary>
    private async Task<bool> ArgoCdKnowsEnabledAsync(GitOpsOwner owner, JsonObject app, CancellationToken cancellationToken)
    {
        if (app["spec"]?["syncPolicy"]?["automated"]?["enabled"] is not null)
        {
            return true;
        }

        var now = time.GetUtcNow();
        if (_enabledField.TryGetValue(owner.Namespace, out var known) && now - known.At < SchemaAnswerLifetime)
        {
            return known.Known;
        }

        const string probe = """{"spec":{"syncPolicy":{"automated":{"enabled":true}}}}""";
        var wouldStore = await reads.MergePatchAsync(GitOpsKind.Application, owner.Namespace, owner.Name, probe, dryRun: true, cancellationToken);
        var answer = wouldStore?["spec"]?["syncPolicy"]?["automated"]?["enabled"] is not null;
        _enabledField[owner.Namespace] = (answer, now);
        return answer;
    }

    private static IEnumerable<string>? Inventory(JsonObject kustomization) =>
        (kustomization["status"]?["inventory"]?["entries"] as JsonArray)?.Select(e => Text(e?["id"])).OfType<string>();

    private static string Describe(Exception failed) => failed is HttpOperationException http
        ? $"the API server answered {(int)http.Response.StatusCode} {http.Response.ReasonPhrase}"
        : failed.Message;

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
