using System.Diagnostics;
using IncidentResponder.Simulator;
using k8s;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Bench.Fleet;

/// <summary>The initial sync of the first replica: time to warm caches, to having looked at every Deployment, and its heap per pod.</summary>
internal sealed record SyncFigures(TimeSpan CachesSynced, TimeSpan EveryDeploymentObserved, long HeapGrowthBytes, int Pods)
{
    public double BytesPerPod => (double)HeapGrowthBytes / Pods;
}

/// <summary>One kill of the leader and the bad rollout that started right after it.</summary>
/// <param name="LeaseTaken">From the kill to the standby leading (its controllers running).</param>
/// <param name="FirstAction">From the kill to the new leader's rollback patch accepted by the API server.</param>
/// <param name="SignalToRollback">From the rollout's clear signal at the API to that patch.</param>
internal sealed record Failover(string Killed, string Successor, TimeSpan? LeaseTaken, TimeSpan? FirstAction, TimeSpan? SignalToRollback);

internal sealed record FleetResults(
    FleetSettings Settings, TimeSpan LoadTime, SyncFigures Sync, SyncFigures StandbySync, TimeSpan? BaselineSignalToRollback,
    IReadOnlyList<Failover> Failovers, double ChurnRate, double HeartbeatRate, string LoadAtStart, string LoadAtEnd);

/// <summary>
/// The fleet benchmark: 150,000 pods on 5,000 nodes with kubelet heartbeats and pod churn, two operator replicas under
/// leader election, the first one's initial sync and memory, one bad rollout handled by a healthy leader (the
/// baseline), then repeated kills of the leader each followed at once by a bad rollout the warm standby must roll back.
/// </summary>
internal sealed class FleetRun(FleetSettings settings, TextWriter output)
{
    public async Task<FleetResults> RunAsync(CancellationToken cancellationToken)
    {
        var loadAtStart = LoadAverage.Read();
        var bench = settings.AsBench();
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions(), cancellationToken).ConfigureAwait(false);
        var store = cluster.ClusterStore;
        var since = DateTimeOffset.UtcNow - TimeSpan.FromHours(1);
        var loading = Stopwatch.StartNew();
        var nodes = NodeFleet.Load(store, settings.Nodes, since);
        var (fleet, _) = HealthyFleet.Load(store, bench, since);
        var loadTime = loading.Elapsed;
        await output.WriteLineAsync($"stored {nodes.Count:N0} nodes with their leases, {settings.Deployments:N0} Deployments and {settings.Pods:N0} running pods in {loadTime.TotalSeconds:F1} s").ConfigureAwait(false);

        using (var admin = new Kubernetes(cluster.ClientConfiguration()))
        {
            await Governance.InstallAsync(admin, bench, cancellationToken).ConfigureAwait(false);
        }

        using var logProvider = new FileLoggerProvider(settings.OperatorLog, LogLevel.Information, flushEachLine: false);
        using var loggers = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Information).AddProvider(logProvider));
        var replicas = new List<FleetOperator>();
        try
        {
            var (first, sync) = await StartAndSyncAsync("fleet-1", cluster, fleet, loggers, cancellationToken).ConfigureAwait(false);
            replicas.Add(first);
            await output.WriteLineAsync($"replica fleet-1: caches synced in {sync.CachesSynced.TotalSeconds:F1} s, every Deployment observed in {sync.EveryDeploymentObserved.TotalSeconds:F1} s, heap +{sync.BytesPerPod:N0} B per pod").ConfigureAwait(false);
            var (second, standbySync) = await StartAndSyncAsync("fleet-2", cluster, fleet: null, loggers, cancellationToken).ConfigureAwait(false);
            replicas.Add(second);
            await output.WriteLineAsync($"replica fleet-2 (standby): caches synced in {standbySync.CachesSynced.TotalSeconds:F1} s, heap +{standbySync.BytesPerPod:N0} B per pod").ConfigureAwait(false);

            var commits = new CommitLog();
            var churnPods = fleet.Skip(settings.Kills + 1).SelectMany(m => m.Pods.Select(p => (m.Namespace, p))).ToList();
            var churn = new ChurnWriter(store, churnPods, settings.ChurnPerSecond, commits);
            var heartbeat = new NodeHeartbeat(store, nodes);
            using var stopBackground = new CancellationTokenSource();
            var background = Stopwatch.StartNew();
            var churnRun = Task.Run(() => churn.RunAsync(stopBackground.Token), CancellationToken.None);
            var heartbeatRun = Task.Run(() => heartbeat.RunAsync(stopBackground.Token), CancellationToken.None);
            await output.WriteLineAsync($"churn {settings.ChurnPerSecond:N0} pod writes/s and node heartbeats {heartbeat.PerSecond:N0} writes/s; warming up").ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);

            var injector = new BadRolloutInjector(store, bench, commits);
            var baseline = await injector.InjectAsync(fleet[0], cancellationToken).ConfigureAwait(false);
            var baselineRollback = await RollbackAtAsync(cluster, fleet[0], settings.LeaseDuration * 2, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"baseline, healthy leader: signal -> rollback {Ms(baselineRollback - baseline.ClearAt)}").ConfigureAwait(false);

            var failovers = new List<Failover>();
            for (var kill = 0; kill < settings.Kills; kill++)
            {
                var failover = await KillLeaderAsync(cluster, replicas, fleet[kill + 1], injector, loggers, kill + 3, cancellationToken).ConfigureAwait(false);
                failovers.Add(failover);
                await output.WriteLineAsync($"kill {kill + 1}: {failover.Killed} killed; {failover.Successor} leading after {Ms(failover.LeaseTaken)}, first action after {Ms(failover.FirstAction)}").ConfigureAwait(false);
            }

            await stopBackground.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(churnRun, heartbeatRun).ConfigureAwait(false);
            var seconds = background.Elapsed.TotalSeconds;
            return new FleetResults(settings, loadTime, sync, standbySync, baselineRollback - baseline.ClearAt, failovers,
                churn.Written / seconds, heartbeat.Written / seconds, loadAtStart, LoadAverage.Read());
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Starts a replica and waits for its caches; with <paramref name="fleet"/>, also for its controllers to have looked at every Deployment.</summary>
    private async Task<(FleetOperator Replica, SyncFigures Sync)> StartAndSyncAsync(
        string identity, SimulatedCluster cluster, IReadOnlyList<FleetMember>? fleet, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var replica = FleetOperator.Start(identity, cluster, settings, loggers);
        var clock = Stopwatch.StartNew();
        await Poll.UntilAsync(() => replica.Stopped || replica.Instance.Manager.CachesSynced, TimeSpan.FromMinutes(5), $"{identity}'s caches to sync", cancellationToken).ConfigureAwait(false);
        var cachesSynced = clock.Elapsed;
        var observed = cachesSynced;
        if (fleet is not null)
        {
            await Poll.UntilAsync(() => replica.Stopped || (replica.Leading && fleet.All(m => replica.Instance.LastDetection(m.Namespace, m.Name) is not null)),
                TimeSpan.FromMinutes(5), $"{identity} to lead and look at every Deployment once", cancellationToken).ConfigureAwait(false);
            observed = clock.Elapsed;
        }

        if (replica.Stopped)
        {
            throw new InvalidOperationException($"{identity} stopped during its initial sync; see {settings.OperatorLog}");
        }

        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        return (replica, new SyncFigures(cachesSynced, observed, heapAfter - heapBefore, settings.Pods));
    }

    private async Task<Failover> KillLeaderAsync(
        SimulatedCluster cluster, List<FleetOperator> replicas, FleetMember target, BadRolloutInjector injector, ILoggerFactory loggers, int nextIdentity, CancellationToken cancellationToken)
    {
        await Poll.UntilAsync(() => replicas.Any(r => r.Stopped) || (replicas.Count(r => r.Leading) == 1 && replicas.All(r => r.Instance.Manager.CachesSynced)),
            TimeSpan.FromMinutes(5), "one leader and a warm standby", cancellationToken).ConfigureAwait(false);
        if (replicas.FirstOrDefault(r => r.Stopped) is { } failed)
        {
            throw new InvalidOperationException($"replica {failed.Identity} stopped before it could stand by: {failed.Failure}; see {settings.OperatorLog}");
        }

        var leader = replicas.Single(r => r.Leading);
        var standby = replicas.Single(r => r != leader);

        var killedAt = DateTimeOffset.UtcNow;
        leader.Kill();
        var rollout = await injector.InjectAsync(target, cancellationToken).ConfigureAwait(false);
        var leading = await Poll.TryUntilAsync(() => standby.Leading, settings.LeaseDuration * 3, cancellationToken).ConfigureAwait(false)
            ? DateTimeOffset.UtcNow - killedAt
            : (TimeSpan?)null;
        var rollback = await RollbackAtAsync(cluster, target, settings.LeaseDuration * 3, cancellationToken).ConfigureAwait(false);

        replicas.Remove(leader);
        await leader.DisposeAsync().ConfigureAwait(false);
        replicas.Add(FleetOperator.Start($"fleet-{nextIdentity}", cluster, settings, loggers));
        return new Failover(leader.Identity, standby.Identity, leading, rollback - killedAt, rollback - rollout.ClearAt);
    }

    /// <summary>When the API server accepted a rollback patch of the target (not a dry run), or null if none within the limit.</summary>
    private static async Task<DateTimeOffset?> RollbackAtAsync(SimulatedCluster cluster, FleetMember target, TimeSpan limit, CancellationToken cancellationToken)
    {
        DateTimeOffset? Patched() => cluster.Hooks.AuditLog
            .Where(a => a is { Verb: "patch", Resource: "deployments", Subresource: null, StatusCode: 200 }
                && a.Namespace == target.Namespace && a.Name == target.Name && !a.Path.Contains("dryRun", StringComparison.Ordinal))
            .Select(a => (DateTimeOffset?)a.Time).Min();
        await Poll.TryUntilAsync(() => Patched() is not null, limit, cancellationToken).ConfigureAwait(false);
        return Patched();
    }

    private static string Ms(TimeSpan? span) => span is { } s ? $"{s.TotalMilliseconds:N0} ms" : "never";
}
