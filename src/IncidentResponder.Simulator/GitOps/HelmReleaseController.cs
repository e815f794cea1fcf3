using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.Storage;
using k8s.Models;

namespace IncidentResponder.Simulator.GitOps;

/// <summary>
/// Flux's helm-controller (helm.toolkit.fluxcd.io/v2), emulated for charts in a GitRepository. A HelmRelease installs
/// its chart (rendered by the real <c>helm template</c>) on first reconcile and upgrades it when the chart version or
/// the values change; the rendered objects carry helm-controller's <c>helm.toolkit.fluxcd.io/name</c>/<c>namespace</c>
/// labels and Helm's own release annotations and <c>app.kubernetes.io/managed-by: Helm</c> label. Every
/// <c>spec.interval</c> it compares the cluster with the last release when <c>spec.driftDetection.mode</c> is
/// <c>warn</c> (reported in a Drifted condition) or <c>enabled</c> (corrected); the default, <c>disabled</c>, leaves
/// live changes alone. <c>spec.suspend</c> stops everything; a new generation, <c>reconcile.fluxcd.io/requestedAt</c>
/// or source revision reconciles at once. Releases live in memory (no Helm storage Secrets); deleting the HelmRelease
/// uninstalls what its release applied (unless it was suspended).
/// </summary>
public sealed class HelmReleaseController(SimulatedCluster cluster, GitOpsOptions options) : GitOpsController(cluster, options)
{
    public const string NameLabel = "helm.toolkit.fluxcd.io/name";
    public const string NamespaceLabel = "helm.toolkit.fluxcd.io/namespace";
    public const string DriftDetectionMarker = "helm.toolkit.fluxcd.io/driftDetection";
    public const string ReleaseNameAnnotation = "meta.helm.sh/release-name";
    public const string ReleaseNamespaceAnnotation = "meta.helm.sh/release-namespace";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    private const string Kind = "HelmRelease";
    private const string Component = "helm-controller";

    private readonly ConcurrentDictionary<GitOpsKey, string> _seenSpecs = new();
    private readonly ConcurrentDictionary<GitOpsKey, HelmChartArtifact> _charts = new();
    private readonly ConcurrentDictionary<GitOpsKey, HelmReleaseRecord> _releases = new();
    private readonly HelmTemplate _helm = new(options.HelmExecutable, options.GitExecutable);
    private readonly EventRecorder _events = new(cluster.ClusterStore);

    protected override IEnumerable<GitOpsKey> InitialKeys() =>
        Store.List(GitOpsCrds.HelmReleases).Select(o => new GitOpsKey(Kind, Namespace(o), Name(o)));

    protected override void OnStoreEvent(StoreEvent change)
    {
        if (change.Resource == GitOpsCrds.HelmReleases)
        {
            var key = new GitOpsKey(Kind, Namespace(change.Object), Name(change.Object));
            if (change.Type == StoreEventType.Deleted)
            {
                _seenSpecs.TryRemove(key, out _);
                if (FluxStatus.IsSuspended(change.Object["spec"] as JsonObject ?? []))
                {
                    // Upstream leaves the release installed when a suspended HelmRelease is deleted: forget it only.
                    _releases.TryRemove(key, out _);
                    _charts.TryRemove(key, out _);
                }

                Queue.Add(key);
            }
            else if (!_seenSpecs.TryGetValue(key, out var seen) || seen != FluxStatus.Fingerprint(change.Object))
            {
                Queue.Add(key);
            }
        }
        else if (change.Resource == GitOpsCrds.GitRepositories && change.Type != StoreEventType.Deleted)
        {
            // A new artifact may be a new chart version: wake the releases whose chart comes from this source.
            foreach (var release in Store.List(GitOpsCrds.HelmReleases))
            {
                var spec = HelmReleaseSpec.Parse(release);
                if (spec.SourceNamespace == Namespace(change.Object) && spec.SourceName == Name(change.Object))
                {
                    Queue.Add(new GitOpsKey(Kind, spec.Namespace, spec.Name));
                }
            }
        }
    }

    protected override TimeSpan? Reconcile(GitOpsKey key, DateTimeOffset now)
    {
        if (Store.Get(GitOpsCrds.HelmReleases, key.Namespace, key.Name) is not { } release)
        {
            Uninstall(key);
            return null;
        }

        _seenSpecs[key] = FluxStatus.Fingerprint(release);
        var specObject = release["spec"] as JsonObject ?? [];
        if (FluxStatus.IsSuspended(specObject))
        {
            // Suspended: no install, upgrade or drift correction until spec.suspend is cleared (a new generation).
            return null;
        }

        var interval = FluxStatus.Interval(specObject, Options.MinimumFluxInterval);
        var previous = release["status"] as JsonObject ?? [];
        var status = previous.DeepClone().AsObject();
        var spec = HelmReleaseSpec.Parse(release);
        status["storageNamespace"] = spec.StorageNamespace;
        if (spec.Unsupported is { } unsupported)
        {
            Fail(status, "InvalidChartReference", unsupported, now);
        }
        else
        {
            status["helmChart"] = spec.HelmChart;
            Reconcile(key, spec, release, status, now);
        }

        FluxStatus.Finish(release, status);
        FluxStatus.Write(Store, GitOpsCrds.HelmReleases, release, previous, status);
        return interval;
    }

    private void Reconcile(GitOpsKey key, HelmReleaseSpec spec, JsonObject release, JsonObject status, DateTimeOffset now)
    {
        var repository = Store.Get(GitOpsCrds.GitRepositories, spec.SourceNamespace, spec.SourceName);
        var revision = ObjectRules.Str(repository?["status"]?["artifact"]?["revision"]);
        if (repository is null || revision is null)
        {
            Fail(status, "ArtifactFailed", repository is null
                ? $"HelmChart '{spec.HelmChart}' is not ready: GitRepository '{spec.SourceNamespace}/{spec.SourceName}' not found"
                : $"HelmChart '{spec.HelmChart}' is not ready: GitRepository '{spec.SourceNamespace}/{spec.SourceName}' has no artifact", now);
            return;
        }

        string repositoryPath;
        HelmChartArtifact chart;
        try
        {
            repositoryPath = GitCli.RepositoryPath(ObjectRules.Str(repository["spec"]?["url"]) ?? string.Empty, Options.Repositories);
            chart = ChartArtifact(key, spec, repositoryPath, revision[(revision.LastIndexOf(':') + 1)..]);
        }
        catch (GitException error)
        {
            Fail(status, "ArtifactFailed", $"HelmChart '{spec.HelmChart}' is not ready: {error.Message}", now);
            return;
        }

        var digest = spec.ConfigDigest;
        status["lastAttemptedRevision"] = chart.Revision;
        status["lastAttemptedConfigDigest"] = digest;
        status["lastAttemptedGeneration"] = release["metadata"]?["generation"]?.DeepClone();
        _releases.TryGetValue(key, out var current);
        if (current is null || current.ChartRevision != chart.Revision || current.ConfigDigest != digest
            || current.ReleaseName != spec.ReleaseName || current.Namespace != spec.TargetNamespace)
        {
            Release(key, spec, chart, current, status, now);
        }
        else if (spec.DriftMode != HelmDriftMode.Disabled)
        {
            DetectDrift(spec, current, status, now);
        }
    }

    /// <summary>
    /// The chart source-controller would package: with the default ChartVersion strategy a new commit only makes a new
    /// chart when Chart.yaml's version changes, so template edits without a version bump are not released.
    /// </summary>
    private HelmChartArtifact ChartArtifact(GitOpsKey key, HelmReleaseSpec spec, string repositoryPath, string commit)
    {
        if (_charts.TryGetValue(key, out var known) && known.SourceCommit == commit && known.Path == spec.Chart && known.ByRevision == spec.ReconcileByRevision)
        {
            return known;
        }

        var metadata = HelmTemplate.ReadMetadata(Git, repositoryPath, commit, spec.Chart);
        var artifact = known is not null && known.Path == spec.Chart && !spec.ReconcileByRevision && !known.ByRevision
            && known.Metadata.Version == metadata.Version && known.Repository == repositoryPath
            ? known with { SourceCommit = commit }
            : new HelmChartArtifact(repositoryPath, spec.Chart, commit, commit, metadata, spec.ReconcileByRevision);
        _charts[key] = artifact;
        return artifact;
    }

    private void Release(GitOpsKey key, HelmReleaseSpec spec, HelmChartArtifact chart, HelmReleaseRecord? current, JsonObject status, DateTimeOffset now)
    {
        var action = current is null ? "install" : "upgrade";
        var reason = current is null ? "Install" : "Upgrade";
        var version = (current?.Version ?? 0) + 1;
        var chartLabel = $"{chart.Metadata.Name}@{chart.Revision}";
        status["lastAttemptedReleaseAction"] = action;
        try
        {
            if (current is null && spec.CreateNamespace && Store.Get(BuiltinResources.Namespaces, null, spec.TargetNamespace) is null)
            {
                // install.createNamespace: Helm's install creates the release namespace; an upgrade never does.
                Store.Create(BuiltinResources.Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = spec.TargetNamespace } });
            }

            var rendered = _helm.Render(chart.Repository, chart.ArtifactCommit, chart.Path, spec.ReleaseName, spec.TargetNamespace, spec.Values);
            var objects = rendered.Select(o => PostRender(o, spec)).Select(o => LiveObjects.Pair(Store, o, spec.TargetNamespace)).ToList();
            foreach (var managed in objects.Where(m => m.OutOfSync))
            {
                LiveObjects.Apply(Store, managed);
            }

            if (current is not null)
            {
                Prune(current.Objects, objects);
            }

            var record = new HelmReleaseRecord(version, spec.ReleaseName, spec.TargetNamespace, chart.Revision, spec.ConfigDigest, objects, current?.FirstDeployed ?? now);
            _releases[key] = record;
            var message = $"Helm {action} succeeded for release {spec.TargetNamespace}/{spec.ReleaseName}.v{version} with chart {chartLabel}";
            FluxStatus.SetCondition(status, "Ready", "True", reason + "Succeeded", message, now);
            FluxStatus.SetCondition(status, "Released", "True", reason + "Succeeded", message, now);
            FluxStatus.RemoveCondition(status, "Drifted");
            Event(spec, "Normal", reason + "Succeeded", message, now);
            status["lastReleaseRevision"] = version;
            status["inventory"] = Inventory(objects);
            Record(status, spec, chart, record, now);
            status.Remove("failures");
        }
        catch (Exception error) when (error is HelmException or GitException or StoreException or IOException)
        {
            var message = $"Helm {action} failed for release {spec.TargetNamespace}/{spec.ReleaseName} with chart {chartLabel}: {error.Message}";
            FluxStatus.SetCondition(status, "Ready", "False", reason + "Failed", message, now);
            FluxStatus.SetCondition(status, "Released", "False", reason + "Failed", message, now);
            Event(spec, "Warning", reason + "Failed", message, now);
            status["failures"] = Count(status["failures"]) + 1;
            var counter = current is null ? "installFailures" : "upgradeFailures";
            status[counter] = Count(status[counter]) + 1;
        }
    }

    /// <summary>What helm-controller's post-renderer and Helm's install add to every rendered object.</summary>
    private static JsonObject PostRender(JsonObject rendered, HelmReleaseSpec spec)
    {
        var obj = rendered.DeepClone().AsObject();
        var metadata = obj["metadata"] as JsonObject ?? [];
        obj["metadata"] = metadata;
        var labels = metadata["labels"] as JsonObject ?? [];
        metadata["labels"] = labels;
        labels[NameLabel] = spec.Name;
        labels[NamespaceLabel] = spec.Namespace;
        labels[ManagedByLabel] = "Helm";
        var annotations = metadata["annotations"] as JsonObject ?? [];
        metadata["annotations"] = annotations;
        annotations[ReleaseNameAnnotation] = spec.ReleaseName;
        annotations[ReleaseNamespaceAnnotation] = spec.TargetNamespace;
        return obj;
    }

    private void DetectDrift(HelmReleaseSpec spec, HelmReleaseRecord current, JsonObject status, DateTimeOffset now)
    {
        var drifted = current.Objects
            .Select(o => LiveObjects.Pair(Store, o.Desired, spec.TargetNamespace))
            .Where(m => m.OutOfSync && !DriftDetectionDisabled(m.Live))
            .ToList();
        if (drifted.Count == 0)
        {
            FluxStatus.RemoveCondition(status, "Drifted");
            return;
        }

        var names = string.Join(", ", drifted.Select(m => $"{m.Type.Kind}/{m.Namespace}/{m.Name}"));
        var release = $"{spec.TargetNamespace}/{spec.ReleaseName}.v{current.Version}";
        if (spec.DriftMode == HelmDriftMode.Warn)
        {
            var message = $"Cluster state of release {release} has drifted from the desired state: {names}";
            FluxStatus.SetCondition(status, "Drifted", "True", "DriftDetected", message, now);
            Event(spec, "Warning", "DriftDetected", message, now);
            return;
        }

        foreach (var managed in drifted)
        {
            LiveObjects.Apply(Store, managed);
        }

        FluxStatus.RemoveCondition(status, "Drifted");
        Event(spec, "Normal", "DriftCorrected", $"Cluster state of release {release} has been corrected: {names}", now);
    }

    private static bool DriftDetectionDisabled(JsonObject? live) =>
        ObjectRules.Str(live?["metadata"]?["labels"]?[DriftDetectionMarker]) == "disabled"
        || ObjectRules.Str(live?["metadata"]?["annotations"]?[DriftDetectionMarker]) == "disabled";

    // An upgrade deletes what the previous release had and the new one no longer renders, as helm upgrade does.
    private void Prune(IReadOnlyList<ManagedObject> before, IReadOnlyList<ManagedObject> after)
    {
        foreach (var gone in before.Where(b => !after.Any(a => a.Type == b.Type && a.Namespace == b.Namespace && a.Name == b.Name)))
        {
            Delete(gone);
        }
    }

    private void Uninstall(GitOpsKey key)
    {
        _charts.TryRemove(key, out _);
        if (_releases.TryRemove(key, out var release))
        {
            foreach (var managed in release.Objects)
            {
                Delete(managed);
            }
        }
    }

    private void Delete(ManagedObject managed)
    {
        try
        {
            Store.Delete(managed.Type, managed.Namespace, managed.Name);
        }
        catch (StoreException missing) when (missing.Code == 404)
        {
            // Already gone: someone deleted it by hand, which Helm tolerates too.
        }
    }

    private static JsonObject Inventory(IEnumerable<ManagedObject> objects) => new()
    {
        ["entries"] = new JsonArray([.. objects.Select(m => (JsonNode)new JsonObject
        {
            ["id"] = $"{m.Namespace}_{m.Name}_{m.Group}_{m.Type.Kind}",
            ["v"] = m.Type.Version,
        })]),
    };

    /// <summary>Prepends the release to status.history (newest first, the last five), as upstream's snapshots.</summary>
    private static void Record(JsonObject status, HelmReleaseSpec spec, HelmChartArtifact chart, HelmReleaseRecord record, DateTimeOffset now)
    {
        var history = status["history"] as JsonArray ?? [];
        foreach (var older in history.OfType<JsonObject>().Where(h => ObjectRules.Str(h["status"]) == "deployed"))
        {
            older["status"] = "superseded";
        }

        history.Insert(0, new JsonObject
        {
            ["name"] = spec.ReleaseName,
            ["namespace"] = spec.TargetNamespace,
            ["version"] = record.Version,
            ["status"] = "deployed",
            ["chartName"] = chart.Metadata.Name,
            ["chartVersion"] = chart.Revision,
            ["appVersion"] = chart.Metadata.AppVersion,
            ["configDigest"] = record.ConfigDigest,
            ["digest"] = record.ConfigDigest,
            ["firstDeployed"] = ObjectRules.Timestamp(record.FirstDeployed),
            ["lastDeployed"] = ObjectRules.Timestamp(now),
            ["action"] = record.Version == 1 ? "install" : "upgrade",
        });
        while (history.Count > 5)
        {
            history.RemoveAt(history.Count - 1);
        }

        status["history"] = history;
    }

    private void Event(HelmReleaseSpec spec, string type, string reason, string message, DateTimeOffset now)
    {
        var release = Store.Get(GitOpsCrds.HelmReleases, spec.Namespace, spec.Name);
        var reference = new V1ObjectReference
        {
            ApiVersion = GitOpsCrds.HelmReleases.ApiVersion,
            Kind = Kind,
            NamespaceProperty = spec.Namespace,
            Name = spec.Name,
            Uid = ObjectRules.Str(release?["metadata"]?["uid"]),
            ResourceVersion = ObjectRules.Str(release?["metadata"]?["resourceVersion"]),
        };
        _events.Record(new EventSpec(reference, type, reason, message, Component, null, now));
    }

    private static long Count(JsonNode? node) => long.TryParse(node?.ToJsonString(), out var count) ? count : 0;

    private static void Fail(JsonObject status, string reason, string message, DateTimeOffset now) =>
        FluxStatus.SetCondition(status, "Ready", "False", reason, message, now);
}
