using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator.GitOps;

/// <summary>
/// Argo CD's application controller, emulated: for each <c>Application</c> it renders <c>spec.source</c> from a local
/// git repository, compares it with the live objects (tracked with <c>argocd.argoproj.io/tracking-id</c>), reports
/// <c>status.sync</c>, <c>status.health</c>, <c>status.resources</c> and <c>status.reconciledAt</c>, and syncs:
/// automatically when <c>spec.syncPolicy.automated</c> is present and <c>enabled</c> is not false (one attempt per
/// revision; with <c>selfHeal</c>, drift is re-applied after upstream's back-off), or once when a client writes a
/// top-level <c>operation.sync</c>. Changes to tracked objects trigger a comparison at once, as Argo CD's cluster
/// cache does; git is polled every <see cref="GitOpsOptions.ArgoCdReconciliationInterval"/> and on the
/// <c>argocd.argoproj.io/refresh</c> annotation, which is removed afterwards.
/// </summary>
public sealed class ArgoCdApplicationController(SimulatedCluster cluster, GitOpsOptions options) : GitOpsController(cluster, options)
{
    public const string TrackingIdAnnotation = "argocd.argoproj.io/tracking-id";
    public const string RefreshAnnotation = "argocd.argoproj.io/refresh";
    public const string SkipReconcileAnnotation = "argocd.argoproj.io/skip-reconcile";
    private const string AppKind = "Application";
    private const int DefaultRevisionHistoryLimit = 10;

    private readonly ConcurrentDictionary<GitOpsKey, string> _seenSpecs = new();
    private readonly ConcurrentDictionary<(string Repository, string Commit, string Path), RenderedManifests> _rendered = new();

    /// <summary>The application part of a tracking id: the name, or <c>&lt;namespace&gt;_&lt;name&gt;</c> outside Argo CD's namespace.</summary>
    public static string AppInstanceName(string appNamespace, string appName, string controlPlaneNamespace) =>
        appNamespace == controlPlaneNamespace ? appName : $"{appNamespace}_{appName}";

    /// <summary><c>&lt;app&gt;:&lt;group&gt;/&lt;kind&gt;:&lt;namespace&gt;/&lt;name&gt;</c>.</summary>
    public static string TrackingId(string app, string group, string kind, string? ns, string name) => $"{app}:{group}/{kind}:{ns}/{name}";

    protected override IEnumerable<GitOpsKey> InitialKeys() =>
        Store.List(GitOpsCrds.Applications).Select(app => new GitOpsKey(AppKind, Namespace(app), Name(app)));

    protected override void OnStoreEvent(StoreEvent change)
    {
        if (change.Resource == GitOpsCrds.Applications)
        {
            var key = new GitOpsKey(AppKind, Namespace(change.Object), Name(change.Object));
            if (change.Type == StoreEventType.Deleted)
            {
                _seenSpecs.TryRemove(key, out _);
                Queue.Forget(key);
                return;
            }

            // Status writes of our own come back as MODIFIED: only a new spec, an operation or a refresh request counts.
            var refresh = change.Object["metadata"]?["annotations"]?[RefreshAnnotation] is not null;
            if (refresh || change.Object["operation"] is not null || !_seenSpecs.TryGetValue(key, out var seen) || seen != Fingerprint(change.Object))
            {
                Queue.Add(key);
            }

            return;
        }

        if (ObjectRules.Str(change.Object["metadata"]?["annotations"]?[TrackingIdAnnotation]) is { } trackingId && OwnerOf(trackingId) is { } owner)
        {
            Queue.Add(owner);
        }
    }

    protected override TimeSpan? Reconcile(GitOpsKey key, DateTimeOffset now)
    {
        if (Store.Get(GitOpsCrds.Applications, key.Namespace, key.Name) is not { } app)
        {
            return null;
        }

        _seenSpecs[key] = Fingerprint(app);
        if (ObjectRules.Str(app["metadata"]?["annotations"]?[SkipReconcileAnnotation]) == "true")
        {
            return null;
        }

        var spec = app["spec"] as JsonObject ?? [];
        var source = spec["source"] as JsonObject;
        var previous = app["status"] as JsonObject ?? [];
        var status = previous.DeepClone().AsObject();
        var requeue = Options.ArgoCdReconciliationInterval;
        var handledOperation = app["operation"] is not null;
        status["controllerNamespace"] = Options.ArgoCdNamespace;
        status["reconciledAt"] = Timestamp(now);
        try
        {
            var comparison = Compare(app, source, spec, revisionOverride: null);
            if (app["operation"]?["sync"] is JsonObject operationSync)
            {
                // A sync a client asked for (kubectl/UI/CLI write a top-level operation); it may name another revision.
                var target = ObjectRules.Str(operationSync["revision"]) is { Length: > 0 } revision ? Compare(app, source, spec, revision) : comparison;
                var initiatedBy = app["operation"]?["initiatedBy"]?.DeepClone() ?? new JsonObject { ["username"] = "admin" };
                Sync(status, spec, source, target, initiatedBy, autoHealAttempts: 0, onlyOutOfSync: false, now);
                comparison = Compare(app, source, spec, revisionOverride: null);
            }
            else if (AutoSync(spec, status, comparison, now) is { } decision)
            {
                if (decision.Sync)
                {
                    Sync(status, spec, source, comparison, new JsonObject { ["automated"] = true }, decision.AutoHealAttempts, decision.OnlyOutOfSync, now);
                    comparison = Compare(app, source, spec, revisionOverride: null);
                }
                else if (decision.RetryAfter is { } retry && retry < requeue)
                {
                    requeue = retry;
                }
            }

            WriteComparison(status, previous, spec, source, comparison, now);
            status.Remove("conditions");
        }
        catch (GitException error)
        {
            status["sync"] = new JsonObject { ["status"] = "Unknown", ["comparedTo"] = ComparedTo(spec, source) };
            status["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "ComparisonError",
                ["message"] = $"Failed to load target state: {error.Message}",
                ["lastTransitionTime"] = Timestamp(now),
            });
        }

        WriteStatus(key, status, handledOperation);
        return requeue;
    }

    private static string Fingerprint(JsonObject app) =>
        (app["spec"]?.ToJsonString() ?? string.Empty) + "|" + (app["metadata"]?["annotations"]?[SkipReconcileAnnotation]?.ToJsonString() ?? string.Empty);

    private GitOpsKey? OwnerOf(string trackingId)
    {
        // <app>:<group>/<kind>:<namespace>/<name>; the app part is <namespace>_<name> outside Argo CD's namespace.
        var app = trackingId.Split(':', 3)[0];
        if (app.Length == 0)
        {
            return null;
        }

        var underscore = app.IndexOf('_', StringComparison.Ordinal);
        return underscore > 0
            ? new GitOpsKey(AppKind, app[..underscore], app[(underscore + 1)..])
            : new GitOpsKey(AppKind, Options.ArgoCdNamespace, app);
    }

    private Comparison Compare(JsonObject app, JsonObject? source, JsonObject spec, string? revisionOverride)
    {
        if (source is null)
        {
            throw new GitException(spec["sources"] is not null
                ? "multi-source applications (spec.sources) are not simulated"
                : "spec.source is required");
        }

        var repository = GitCli.RepositoryPath(ObjectRules.Str(source["repoURL"]) ?? string.Empty, Options.Repositories);
        var revision = revisionOverride ?? (ObjectRules.Str(source["targetRevision"]) is { Length: > 0 } target ? target : "HEAD");
        var commit = Git.ResolveCommit(repository, revision);
        var path = GitManifests.NormalizeFolder(ObjectRules.Str(source["path"]));
        var rendered = _rendered.GetOrAdd((repository, commit, path), k => GitManifests.Render(Git, k.Repository, k.Commit, k.Path));
        var destination = ObjectRules.Str(spec["destination"]?["namespace"]);
        var instance = AppInstanceName(Namespace(app), Name(app), Options.ArgoCdNamespace);
        var objects = new List<ManagedObject>();
        foreach (var manifest in rendered.Objects)
        {
            var managed = LiveObjects.Pair(Store, manifest, destination);
            var annotations = managed.Desired["metadata"]!["annotations"] as JsonObject ?? [];
            managed.Desired["metadata"]!["annotations"] = annotations;
            annotations[TrackingIdAnnotation] = TrackingId(instance, managed.Group, managed.Type.Kind, managed.Namespace ?? destination, managed.Name);
            objects.Add(managed);
        }

        return new Comparison(commit, rendered.Kustomize ? "Kustomize" : "Directory", objects);
    }

    private AutoSyncDecision? AutoSync(JsonObject spec, JsonObject status, Comparison comparison, DateTimeOffset now)
    {
        // appcontroller.go autoSync: on only when automated is present and enabled is nil or true.
        if (spec["syncPolicy"]?["automated"] is not JsonObject automated
            || (automated["enabled"] is JsonValue enabled && enabled.TryGetValue<bool>(out var on) && !on)
            || !comparison.Objects.Any(o => o.OutOfSync))
        {
            return null;
        }

        var operationState = status["operationState"] as JsonObject;
        var lastRevision = ObjectRules.Str(operationState?["syncResult"]?["revision"]) ?? ObjectRules.Str(operationState?["operation"]?["sync"]?["revision"]);
        if (lastRevision != comparison.Commit)
        {
            return new AutoSyncDecision(true, 0, false, null);
        }

        // One attempt per revision: only self-heal syncs the same revision again, and only after a success.
        var selfHeal = automated["selfHeal"] is JsonValue heal && heal.TryGetValue<bool>(out var healing) && healing;
        if (!selfHeal || ObjectRules.Str(operationState?["phase"]) != "Succeeded")
        {
            return null;
        }

        var attempts = operationState?["operation"]?["sync"]?["autoHealAttemptsCount"] is JsonValue count && count.TryGetValue<long>(out var n) ? n : 0;
        DateTimeOffset? finishedAt = ObjectRules.Str(operationState?["finishedAt"]) is { } finished && DateTimeOffset.TryParse(finished, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : null;
        var remaining = SelfHealRemainingBackoff(Options, attempts, finishedAt, now);
        return remaining <= TimeSpan.Zero
            ? new AutoSyncDecision(true, attempts + 1, true, null)
            : new AutoSyncDecision(false, attempts, true, remaining);
    }

    /// <summary>appcontroller.go selfHealRemainingBackoff: the k8s wait.Backoff stepped once per earlier attempt, counted from finishedAt.</summary>
    public static TimeSpan SelfHealRemainingBackoff(GitOpsOptions options, long attempts, DateTimeOffset? finishedAt, DateTimeOffset now)
    {
        TimeSpan delay;
        if (options.SelfHealBackoff <= TimeSpan.Zero)
        {
            delay = options.SelfHealTimeout;
        }
        else
        {
            delay = TimeSpan.Zero;
            var step = options.SelfHealBackoff;
            var capped = false;
            for (var i = 0; i < attempts; i++)
            {
                delay = step;
                if (!capped)
                {
                    step = TimeSpan.FromTicks(step.Ticks * options.SelfHealBackoffFactor);
                    if (step > options.SelfHealBackoffCap)
                    {
                        step = options.SelfHealBackoffCap;
                        capped = true;
                    }
                }
            }
        }

        return finishedAt is { } finished ? delay - (now - finished) : delay;
    }

    private void Sync(JsonObject status, JsonObject spec, JsonObject? source, Comparison target, JsonNode initiatedBy, long autoHealAttempts, bool onlyOutOfSync, DateTimeOffset now)
    {
        var results = new JsonArray();
        var failures = new List<string>();
        CreateNamespaceIfAsked(spec);
        foreach (var managed in target.Objects.Where(o => !onlyOutOfSync || o.OutOfSync))
        {
            var result = new JsonObject
            {
                ["group"] = managed.Group,
                ["version"] = managed.Type.Version,
                ["kind"] = managed.Type.Kind,
                ["namespace"] = managed.Namespace ?? string.Empty,
                ["name"] = managed.Name,
            };
            try
            {
                LiveObjects.Apply(Store, managed);
                result["status"] = "Synced";
                result["message"] = $"{managed.Type.Kind.ToLowerInvariant()}{(managed.Group.Length > 0 ? "." + managed.Group : string.Empty)}/{managed.Name} {(managed.Live is null ? "created" : "configured")}";
            }
            catch (StoreException error)
            {
                result["status"] = "SyncFailed";
                result["message"] = error.Message;
                failures.Add(error.Message);
            }

            result["syncPhase"] = "Sync";
            results.Add(result);
        }

        var sync = new JsonObject { ["revision"] = target.Commit };
        if (autoHealAttempts > 0)
        {
            sync["autoHealAttemptsCount"] = autoHealAttempts;
        }

        var succeeded = failures.Count == 0;
        status["operationState"] = new JsonObject
        {
            ["operation"] = new JsonObject { ["sync"] = sync, ["initiatedBy"] = initiatedBy.DeepClone(), ["retry"] = new JsonObject { ["limit"] = 5 } },
            ["phase"] = succeeded ? "Succeeded" : "Failed",
            ["message"] = succeeded ? "successfully synced (all tasks run)" : "one or more objects failed to apply, reason: " + string.Join(", ", failures),
            ["startedAt"] = Timestamp(now),
            ["finishedAt"] = Timestamp(now),
            ["syncResult"] = new JsonObject { ["resources"] = results, ["revision"] = target.Commit, ["source"] = source?.DeepClone() },
        };
        if (succeeded)
        {
            var history = status["history"] as JsonArray ?? [];
            var id = history.OfType<JsonObject>().Select(h => h["id"] is JsonValue v && v.TryGetValue<long>(out var i) ? i : 0).DefaultIfEmpty(-1).Max() + 1;
            history.Add(new JsonObject
            {
                ["id"] = id,
                ["revision"] = target.Commit,
                ["source"] = source?.DeepClone(),
                ["deployStartedAt"] = Timestamp(now),
                ["deployedAt"] = Timestamp(now),
                ["initiatedBy"] = initiatedBy.DeepClone(),
            });
            while (history.Count > DefaultRevisionHistoryLimit)
            {
                history.RemoveAt(0);
            }

            status["history"] = history;
        }
    }

    /// <summary>The <c>CreateNamespace=true</c> sync option: the destination namespace is created when missing.</summary>
    private void CreateNamespaceIfAsked(JsonObject spec)
    {
        var options = (spec["syncPolicy"]?["syncOptions"] as JsonArray ?? []).Select(o => ObjectRules.Str(o));
        if (options.Contains("CreateNamespace=true")
            && ObjectRules.Str(spec["destination"]?["namespace"]) is { Length: > 0 } ns
            && Store.Get(BuiltinResources.Namespaces, null, ns) is null)
        {
            Store.Create(BuiltinResources.Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });
        }
    }

    private void WriteComparison(JsonObject status, JsonObject previous, JsonObject spec, JsonObject? source, Comparison comparison, DateTimeOffset now)
    {
        var resources = new JsonArray();
        var health = new ArgoCdHealth(ArgoCdHealth.Healthy, null);
        var images = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var managed in comparison.Objects)
        {
            var entry = new JsonObject();
            if (managed.Group.Length > 0)
            {
                entry["group"] = managed.Group;
            }

            entry["version"] = managed.Type.Version;
            entry["kind"] = managed.Type.Kind;
            if (managed.Namespace is not null)
            {
                entry["namespace"] = managed.Namespace;
            }

            entry["name"] = managed.Name;
            entry["status"] = managed.OutOfSync ? "OutOfSync" : "Synced";
            if (ArgoCdHealth.Of(managed.Type, managed.Live) is { } resourceHealth)
            {
                entry["health"] = resourceHealth.Message is null
                    ? new JsonObject { ["status"] = resourceHealth.Status }
                    : new JsonObject { ["status"] = resourceHealth.Status, ["message"] = resourceHealth.Message };
                health = ArgoCdHealth.Worst(health, resourceHealth);
            }

            foreach (var container in (managed.Live?["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (ObjectRules.Str(container["image"]) is { } image)
                {
                    images.Add(image);
                }
            }

            resources.Add(entry);
        }

        status["sourceType"] = comparison.SourceType;
        status["resources"] = resources;
        status["summary"] = images.Count == 0 ? new JsonObject() : new JsonObject { ["images"] = new JsonArray([.. images.Select(i => (JsonNode)i)]) };
        status["sync"] = new JsonObject
        {
            ["status"] = comparison.Objects.Any(o => o.OutOfSync) ? "OutOfSync" : "Synced",
            ["revision"] = comparison.Commit,
            ["comparedTo"] = ComparedTo(spec, source),
        };
        var transition = ObjectRules.Str(previous["health"]?["status"]) == health.Status && ObjectRules.Str(previous["health"]?["lastTransitionTime"]) is { } since
            ? since
            : Timestamp(now);
        status["health"] = health.Message is null
            ? new JsonObject { ["status"] = health.Status, ["lastTransitionTime"] = transition }
            : new JsonObject { ["status"] = health.Status, ["message"] = health.Message, ["lastTransitionTime"] = transition };
    }

    private static JsonObject ComparedTo(JsonObject spec, JsonObject? source)
    {
        var comparedTo = new JsonObject { ["destination"] = spec["destination"]?.DeepClone() ?? new JsonObject() };
        if (source is not null)
        {
            comparedTo["source"] = source.DeepClone();
        }

        return comparedTo;
    }

    // The Application CRD has no status subresource: Argo CD patches the whole object, and removes the refresh
    // annotation and a handled operation in the same write.
    private void WriteStatus(GitOpsKey key, JsonObject status, bool handledOperation)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (Store.Get(GitOpsCrds.Applications, key.Namespace, key.Name) is not { } latest)
            {
                return;
            }

            latest["status"] = status.DeepClone();
            if (handledOperation)
            {
                latest.Remove("operation");
            }

            (latest["metadata"]?["annotations"] as JsonObject)?.Remove(RefreshAnnotation);
            try
            {
                Store.Update(GitOpsCrds.Applications, latest);
                return;
            }
            catch (StoreException conflict) when (conflict.Code == 409)
            {
                // A client wrote meanwhile: write the same status over its version.
            }
        }
    }

    private sealed record Comparison(string Commit, string SourceType, IReadOnlyList<ManagedObject> Objects);

    private sealed record AutoSyncDecision(bool Sync, long AutoHealAttempts, bool OnlyOutOfSync, TimeSpan? RetryAfter);
}
