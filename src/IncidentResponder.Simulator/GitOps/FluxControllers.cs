using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Kubelet;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator.GitOps;

/// <summary>
/// Flux's source-controller (GitRepository) and kustomize-controller (Kustomization), emulated. A GitRepository
/// resolves <c>spec.ref</c> in a local repository every <c>spec.interval</c> and reports the artifact revision
/// (<c>main@sha1:&lt;hex&gt;</c>). A Kustomization renders <c>spec.path</c> of its source's artifact and applies it
/// every <c>spec.interval</c> (so drift of fields git declares is corrected on the next run, not at once), labels
/// what it applies with <c>kustomize.toolkit.fluxcd.io/name</c> and <c>/namespace</c>, and reports the inventory,
/// <c>lastAppliedRevision</c> and a Ready condition. <c>spec.suspend: true</c> stops both; a new
/// <c>reconcile.fluxcd.io/requestedAt</c>, a new generation or a new source revision reconciles at once.
/// HelmReleases are <see cref="HelmReleaseController"/>'s.
/// </summary>
public sealed class FluxControllers(SimulatedCluster cluster, GitOpsOptions options) : GitOpsController(cluster, options)
{
    public const string NameLabel = "kustomize.toolkit.fluxcd.io/name";
    public const string NamespaceLabel = "kustomize.toolkit.fluxcd.io/namespace";
    public const string ReconcileMarker = "kustomize.toolkit.fluxcd.io/reconcile";
    public const string RequestedAtAnnotation = FluxStatus.RequestedAtAnnotation;
    private const string GitRepositoryKind = "GitRepository";
    private const string KustomizationKind = "Kustomization";

    private readonly ConcurrentDictionary<GitOpsKey, string> _seenSpecs = new();

    protected override IEnumerable<GitOpsKey> InitialKeys() =>
        Store.List(GitOpsCrds.GitRepositories).Select(o => new GitOpsKey(GitRepositoryKind, Namespace(o), Name(o)))
            .Concat(Store.List(GitOpsCrds.Kustomizations).Select(o => new GitOpsKey(KustomizationKind, Namespace(o), Name(o))));

    protected override void OnStoreEvent(StoreEvent change)
    {
        var kind = change.Resource == GitOpsCrds.GitRepositories ? GitRepositoryKind : change.Resource == GitOpsCrds.Kustomizations ? KustomizationKind : null;
        if (kind is null)
        {
            return;
        }

        var key = new GitOpsKey(kind, Namespace(change.Object), Name(change.Object));
        if (change.Type == StoreEventType.Deleted)
        {
            _seenSpecs.TryRemove(key, out _);
            Queue.Forget(key);
            return;
        }

        // Status writes come back as MODIFIED: a new generation or reconcile request counts, and a new artifact
        // revision wakes the Kustomizations that use the source.
        if (!_seenSpecs.TryGetValue(key, out var seen) || seen != FluxStatus.Fingerprint(change.Object))
        {
            Queue.Add(key);
        }

        if (kind == GitRepositoryKind && ObjectRules.Str(change.Object["status"]?["artifact"]?["revision"]) is { } revision)
        {
            foreach (var kustomization in Store.List(GitOpsCrds.Kustomizations))
            {
                if (SourceOf(kustomization) == (key.Namespace, key.Name) && ObjectRules.Str(kustomization["status"]?["lastAttemptedRevision"]) != revision)
                {
                    Queue.Add(new GitOpsKey(KustomizationKind, Namespace(kustomization), Name(kustomization)));
                }
            }
        }
    }

    protected override TimeSpan? Reconcile(GitOpsKey key, DateTimeOffset now) =>
        key.Kind == GitRepositoryKind ? ReconcileGitRepository(key, now) : ReconcileKustomization(key, now);

    private static (string Namespace, string Name)? SourceOf(JsonObject kustomization)
    {
        var sourceRef = kustomization["spec"]?["sourceRef"];
        return ObjectRules.Str(sourceRef?["kind"]) == GitRepositoryKind && ObjectRules.Str(sourceRef?["name"]) is { } name
            ? (ObjectRules.Str(sourceRef?["namespace"]) is { Length: > 0 } ns ? ns : Namespace(kustomization), name)
            : null;
    }

    private TimeSpan? ReconcileGitRepository(GitOpsKey key, DateTimeOffset now)
    {
        if (Store.Get(GitOpsCrds.GitRepositories, key.Namespace, key.Name) is not { } repository)
        {
            return null;
        }

        _seenSpecs[key] = FluxStatus.Fingerprint(repository);
        var spec = repository["spec"] as JsonObject ?? [];
        if (FluxStatus.IsSuspended(spec))
        {
            return null;
        }

        var previous = repository["status"] as JsonObject ?? [];
        var status = previous.DeepClone().AsObject();
        try
        {
            var (revision, prefix) = Reference(spec["ref"] as JsonObject);
            var commit = Git.ResolveCommit(GitCli.RepositoryPath(ObjectRules.Str(spec["url"]) ?? string.Empty, Options.Repositories), revision);
            var artifactRevision = $"{prefix}sha1:{commit}";
            if (ObjectRules.Str(previous["artifact"]?["revision"]) != artifactRevision)
            {
                var path = $"gitrepository/{key.Namespace}/{key.Name}/{commit}.tar.gz";
                status["artifact"] = new JsonObject
                {
                    ["digest"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(artifactRevision))),
                    ["lastUpdateTime"] = Timestamp(now),
                    ["path"] = path,
                    ["revision"] = artifactRevision,
                    ["size"] = 0,
                    ["url"] = $"http://source-controller.{Options.FluxNamespace}.svc.cluster.local./{path}",
                };
            }

            FluxStatus.SetCondition(status, "Ready", "True", "Succeeded", $"stored artifact for revision '{artifactRevision}'", now);
            FluxStatus.SetCondition(status, "ArtifactInStorage", "True", "Succeeded", $"stored artifact for revision '{artifactRevision}'", now);
        }
        catch (GitException error)
        {
            FluxStatus.SetCondition(status, "Ready", "False", "GitOperationFailed", $"failed to checkout and determine revision: {error.Message}", now);
        }

        FluxStatus.Finish(repository, status);
        FluxStatus.Write(Store, GitOpsCrds.GitRepositories, repository, previous, status);
        return Interval(spec);
    }

    private TimeSpan? ReconcileKustomization(GitOpsKey key, DateTimeOffset now)
    {
        if (Store.Get(GitOpsCrds.Kustomizations, key.Namespace, key.Name) is not { } kustomization)
        {
            return null;
        }

        _seenSpecs[key] = FluxStatus.Fingerprint(kustomization);
        var spec = kustomization["spec"] as JsonObject ?? [];
        if (FluxStatus.IsSuspended(spec))
        {
            // Suspended: no apply and no drift correction until spec.suspend is cleared (a new generation).
            return null;
        }

        var previous = kustomization["status"] as JsonObject ?? [];
        var status = previous.DeepClone().AsObject();
        var source = SourceOf(kustomization);
        var repository = source is { } s ? Store.Get(GitOpsCrds.GitRepositories, s.Namespace, s.Name) : null;
        var revision = ObjectRules.Str(repository?["status"]?["artifact"]?["revision"]);
        if (repository is null || revision is null)
        {
            var message = source is null
                ? "only GitRepository sources are simulated"
                : repository is null
                    ? $"Source '{GitRepositoryKind}/{source.Value.Namespace}/{source.Value.Name}' not found"
                    : $"Source '{GitRepositoryKind}/{source.Value.Namespace}/{source.Value.Name}' is not ready, artifact not found";
            FluxStatus.SetCondition(status, "Ready", "False", "ArtifactFailed", message, now);
            FluxStatus.Finish(kustomization, status);
            FluxStatus.Write(Store, GitOpsCrds.Kustomizations, kustomization, previous, status);
            return RetryInterval(spec);
        }

        status["lastAttemptedRevision"] = revision;
        try
        {
            var commit = revision[(revision.LastIndexOf(':') + 1)..];
            var rendered = GitManifests.Render(Git, GitCli.RepositoryPath(ObjectRules.Str(repository["spec"]?["url"]) ?? string.Empty, Options.Repositories), commit, ObjectRules.Str(spec["path"]));
            var targetNamespace = ObjectRules.Str(spec["targetNamespace"]);
            var entries = new JsonArray();
            foreach (var manifest in rendered.Objects)
            {
                var copy = manifest.DeepClone().AsObject();
                if (targetNamespace is { Length: > 0 } && copy["metadata"] is JsonObject metadata)
                {
                    metadata["namespace"] = targetNamespace;
                }

                var managed = LiveObjects.Pair(Store, copy, defaultNamespace: null);
                var labels = managed.Desired["metadata"]!["labels"] as JsonObject ?? [];
                managed.Desired["metadata"]!["labels"] = labels;
                labels[NameLabel] = key.Name;
                labels[NamespaceLabel] = key.Namespace;
                entries.Add(new JsonObject
                {
                    ["id"] = $"{managed.Namespace}_{managed.Name}_{managed.Group}_{managed.Type.Kind}",
                    ["v"] = managed.Type.Version,
                });
                if (managed.OutOfSync && !ReconcileDisabled(managed.Live))
                {
                    LiveObjects.Apply(Store, managed);
                }
            }

            status["inventory"] = new JsonObject { ["entries"] = entries };
            status["lastAppliedRevision"] = revision;
            FluxStatus.SetCondition(status, "Ready", "True", "ReconciliationSucceeded", $"Applied revision: {revision}", now);
        }
        catch (Exception error) when (error is GitException or StoreException)
        {
            FluxStatus.SetCondition(status, "Ready", "False", "ReconciliationFailed", error.Message, now);
        }

        FluxStatus.Finish(kustomization, status);
        FluxStatus.Write(Store, GitOpsCrds.Kustomizations, kustomization, previous, status);
        return Interval(spec);
    }

    /// <summary>spec.ref precedence (branch &lt; tag &lt; semver &lt; name &lt; commit) and the revision prefix each gives.</summary>
    private static (string Revision, string Prefix) Reference(JsonObject? reference)
    {
        if (ObjectRules.Str(reference?["commit"]) is { Length: > 0 } commit)
        {
            return (commit, ObjectRules.Str(reference?["branch"]) is { Length: > 0 } branch ? branch + "@" : string.Empty);
        }

        if (ObjectRules.Str(reference?["name"]) is { Length: > 0 } name)
        {
            return (name, name + "@");
        }

        if (ObjectRules.Str(reference?["semver"]) is { Length: > 0 })
        {
            throw new GitException("spec.ref.semver is not simulated");
        }

        if (ObjectRules.Str(reference?["tag"]) is { Length: > 0 } tag)
        {
            return ("refs/tags/" + tag, tag + "@");
        }

        var head = ObjectRules.Str(reference?["branch"]) is { Length: > 0 } b ? b : "master";
        return ("refs/heads/" + head, head + "@");
    }

    private static bool ReconcileDisabled(JsonObject? live) =>
        ObjectRules.Str(live?["metadata"]?["labels"]?[ReconcileMarker]) == "disabled"
        || ObjectRules.Str(live?["metadata"]?["annotations"]?[ReconcileMarker]) == "disabled";

    private TimeSpan Interval(JsonObject spec) => FluxStatus.Interval(spec, Options.MinimumFluxInterval);

    private TimeSpan RetryInterval(JsonObject spec) =>
        ObjectRules.Str(spec["retryInterval"]) is { } text && FaultSpec.TryParseGoDuration(text, out var retry) && retry > TimeSpan.Zero ? retry : Interval(spec);
}
