using System.Diagnostics;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Time;
using IncidentResponder.Operator.Hosting;
using IncidentResponder.Simulator;
using IncidentResponder.Simulator.Storage;
using k8s;
using Microsoft.Extensions.Logging;
using IncidentResponder.Operator.Controllers;

namespace IncidentResponder.Operator.Bench;

/// <summary>Facts about the run printed with the results, so figures are read with their conditions.</summary>
internal sealed record RunFacts(
    TimeSpan LoadTime,
    TimeSpan OperatorSync,
    TimeSpan InjectionSpan,
    double ChurnRate,
    long ChurnSkipped,
    string LoadAtStart,
    string LoadAtEnd,
    IReadOnlyList<ControllerCounters> Counters,
    IReadOnlySet<(string Namespace, string Name)> GitOpsOwned,
    GitOpsPauseCheck GitOpsPauses);

/// <summary>
/// The whole benchmark: a loaded simulated cluster, the operator in process, churn, a bare pod watch, the bad rollouts
/// spread over time and namespaces, then the wait for every incident and rollback and the join of all timestamps.
/// </summary>
internal sealed class BenchRun(BenchSettings settings, TextWriter output)
{
    /// <summary>Churn runs this long before the first bad rollout, so the operator is measured in a steady state.</summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);

    public async Task<(LatencyReport Report, RunFacts Facts)> RunAsync(CancellationToken cancellationToken)
    {
        var loadAtStart = LoadAverage.Read();
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions(), cancellationToken).ConfigureAwait(false);
        var store = cluster.ClusterStore;
        var incidentClock = new IncidentCreationClock();
        store.AddAdmissionStep(incidentClock);
        await output.WriteLineAsync($"simulated cluster at {cluster.BaseAddress} (API server only: no controllers, no kubelet)").ConfigureAwait(false);

        var (fleet, loadTime) = HealthyFleet.Load(store, settings, DateTimeOffset.UtcNow - TimeSpan.FromHours(1));
        await output.WriteLineAsync($"stored {settings.Deployments:N0} Deployments, their ReplicaSets and {settings.Pods:N0} running pods in {loadTime.TotalSeconds:F1} s").ConfigureAwait(false);

        using var admin = new Kubernetes(cluster.ClientConfiguration());
        using var operatorClient = new Kubernetes(cluster.ClientConfiguration());
        using var watchClient = new Kubernetes(cluster.ClientConfiguration());
        await Governance.InstallAsync(admin, settings, cancellationToken).ConfigureAwait(false);
        var targets = Targets(fleet);
        var owned = GitOpsOwnedTargets.Pick(targets, settings.GitOpsShare);
        await GitOpsOwnedTargets.InstallAsync(store, admin, owned, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"{owned.Count} of {targets.Count} bad-rollout targets are applied by an Argo CD Application (automated, selfHeal) in {GitOpsOwnedTargets.ArgoCdNamespace}").ConfigureAwait(false);

        using var logProvider = new FileLoggerProvider(settings.OperatorLog, LogLevel.Information, flushEachLine: false);
        using var loggers = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Information).AddProvider(logProvider));
        var options = new OperatorOptions { Identity = "operator-bench", Health = null };
        var instance = OperatorAssembly.Create(operatorClient, options, loggers, TimeProvider.System);
        using var stopOperator = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var operatorRun = Task.Run(() => instance.RunAsync(stopOperator.Token), CancellationToken.None);

        var syncClock = Stopwatch.StartNew();
        await Poll.UntilAsync(() => operatorRun.IsCompleted || (instance.Manager.ControllersRunning && fleet.All(m => instance.LastDetection(m.Namespace, m.Name) is not null)),
            TimeSpan.FromMinutes(5), "the operator to sync and look at every Deployment once", cancellationToken).ConfigureAwait(false);
        if (operatorRun.IsCompleted)
        {
            await operatorRun.ConfigureAwait(false);
            throw new InvalidOperationException("the operator stopped during its initial sync");
        }

        var operatorSync = syncClock.Elapsed;
        await output.WriteLineAsync($"operator synced and observed every Deployment in {operatorSync.TotalSeconds:F1} s (options: observe poll {options.Features.OfType<RolloutDetectionFeature>().Single().Options.PollInterval.TotalSeconds:0.#} s, incident poll {options.Features.OfType<IncidentFeature>().Single().Options.PollInterval.TotalSeconds:0.#} s)").ConfigureAwait(false);

        var commits = new CommitLog();
        var watch = new PodWatchRecorder(watchClient, store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var stopBackground = new CancellationTokenSource();
        var watchRun = Task.Run(() => watch.RunAsync(stopBackground.Token), CancellationToken.None);
        await Poll.UntilAsync(() => store.OpenWatchers(BuiltinResources.Pods).Count >= 2, TimeSpan.FromSeconds(30), "the bare pod watch to be registered", cancellationToken).ConfigureAwait(false);

        var targetSet = targets.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var churnPods = fleet.Where(m => !targetSet.Contains(m.Name)).SelectMany(m => m.Pods.Select(p => (m.Namespace, p))).ToList();
        var churn = new ChurnWriter(store, churnPods, settings.ChurnPerSecond, commits);
        var churnClock = Stopwatch.StartNew();
        using var stopChurn = new CancellationTokenSource();
        var churnRun = Task.Run(() => churn.RunAsync(stopChurn.Token), CancellationToken.None);
        await output.WriteLineAsync($"churn: {settings.ChurnPerSecond} pod writes/s; warming up for {WarmUp.TotalSeconds:0} s").ConfigureAwait(false);
        await Task.Delay(WarmUp, cancellationToken).ConfigureAwait(false);

        var countersBefore = OperatorCounters.Read(instance.Metrics);
        await output.WriteLineAsync($"injecting {targets.Count} bad rollouts, one every {settings.RolloutInterval.TotalMilliseconds:0} ms...").ConfigureAwait(false);
        var injector = new BadRolloutInjector(store, settings, commits);
        var injectionClock = Stopwatch.StartNew();
        var injections = new List<Task<InjectedRollout>>();
        foreach (var target in targets)
        {
            injections.Add(Task.Run(() => injector.InjectAsync(target, cancellationToken), CancellationToken.None));
            await Task.Delay(settings.RolloutInterval, cancellationToken).ConfigureAwait(false);
        }

        var rollouts = await Task.WhenAll(injections).ConfigureAwait(false);
        var injectionSpan = injectionClock.Elapsed;

        await output.WriteLineAsync("waiting for every incident and rollback...").ConfigureAwait(false);
        var acted = await Poll.TryUntilAsync(() => AllActedOn(cluster.Hooks.AuditLog, rollouts), settings.Deadline, cancellationToken).ConfigureAwait(false);
        var counters = OperatorCounters.Read(instance.Metrics).Zip(countersBefore, (after, before) => after.Minus(before)).ToList();
        if (!acted)
        {
            await output.WriteLineAsync($"not every bad rollout was acted on within {settings.Deadline.TotalSeconds:0} s; the missing ones are reported").ConfigureAwait(false);
        }

        var incidents = await ListIncidentsAsync(admin, cancellationToken).ConfigureAwait(false);
        await stopOperator.CancelAsync().ConfigureAwait(false);
        await StopQuietlyAsync(operatorRun).ConfigureAwait(false);
        await stopChurn.CancelAsync().ConfigureAwait(false);
        await StopQuietlyAsync(churnRun).ConfigureAwait(false);
        var churnRate = churn.Written / churnClock.Elapsed.TotalSeconds;

        // Every write so far should reach the bare watch; give it a moment to drain before it stops.
        var lastWrite = commits.Commits.Keys.DefaultIfEmpty(0).Max();
        await Poll.TryUntilAsync(() => watch.Received.ContainsKey(lastWrite), TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        await stopBackground.CancelAsync().ConfigureAwait(false);
        await StopQuietlyAsync(watchRun).ConfigureAwait(false);

        var holdFor = GoDuration.Parse(settings.HoldFor);
        var report = LatencyReport.Build(rollouts, cluster.Hooks.AuditLog, incidents, incidentClock, commits, watch, holdFor);
        var pauses = GitOpsPauseCheck.Build(store, cluster.Hooks.AuditLog, rollouts, owned, holdFor);
        return (report, new RunFacts(loadTime, operatorSync, injectionSpan, churnRate, churn.Skipped, loadAtStart, LoadAverage.Read(), counters, owned, pauses));
    }

    /// <summary>Evenly spread over the fleet; consecutive indexes sit in consecutive namespaces, so the namespaces are covered too.</summary>
    private List<FleetMember> Targets(IReadOnlyList<FleetMember> fleet)
    {
        var count = Math.Min(settings.BadRollouts, fleet.Count);
        var stride = (double)fleet.Count / count;
        return [.. Enumerable.Range(0, count).Select(k => fleet[(int)(k * stride)])];
    }

    private static bool AllActedOn(IReadOnlyList<AuditRecord> audit, IReadOnlyList<InjectedRollout> rollouts)
    {
        var patched = audit.Where(a => a is { Verb: "patch", Resource: "deployments", Subresource: null, StatusCode: 200 } && !a.Path.Contains("dryRun", StringComparison.Ordinal))
            .Select(a => (a.Namespace, a.Name)).ToHashSet();
        return rollouts.All(r => patched.Contains((r.Target.Namespace, r.Target.Name)));
    }

    private static async Task<IReadOnlyList<Incident>> ListIncidentsAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        var list = await client.CustomObjects.ListClusterCustomObjectAsync<CustomResourceList<Incident>>(
            GroupVersion.Group, GroupVersion.Version, Incident.Plural, cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. list.Items];
    }

    private static async Task StopQuietlyAsync(Task run)
    {
        try
        {
            await run.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }
}
