using IncidentResponder.Runtime.Controllers;
using IncidentResponder.Runtime.Health;
using IncidentResponder.Runtime.Informers;
using IncidentResponder.Runtime.LeaderElection;
using IncidentResponder.Runtime.Metrics;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Runtime.Hosting;

/// <summary>
/// controller-runtime's manager: starts every informer (on every replica, so a standby's caches are warm when it takes
/// over), waits for them to sync, then runs the controllers, behind leader election when it is configured, and serves
/// /healthz, /readyz and /metrics. Ready means: all caches synced and, with leader election, leading or healthily
/// standing by.
/// </summary>
public sealed class ControllerManager(
    ManagerOptions options, RuntimeMetrics metrics, ILoggerFactory loggerFactory, LeaderElectionService? election = null, TimeProvider? time = null)
{
    private readonly List<IRunnableInformer> _informers = [];
    private readonly List<Controller> _controllers = [];
    private readonly List<IHealthCheck> _extraReadinessChecks = [];
    private readonly ILogger _logger = loggerFactory.CreateLogger<ControllerManager>();

    public LeaderElectionService? Election => election;

    /// <summary>The registry the controllers of this manager report to.</summary>
    public RuntimeMetrics Metrics => metrics;

    public ILoggerFactory Loggers => loggerFactory;

    /// <summary>The clock the controllers' queues and timeouts run on.</summary>
    public TimeProvider Time { get; } = time ?? TimeProvider.System;

    public HealthServer? HealthServer { get; private set; }

    /// <summary>True while the controllers are running (on the leader, or always without election).</summary>
    public bool ControllersRunning { get; private set; }

    /// <summary>Every informer has listed its resource once: a standby's caches are warm before it leads.</summary>
    public bool CachesSynced => _informers.TrueForAll(i => i.HasSynced);

    public void Add(IRunnableInformer informer) => _informers.Add(informer);

    public void Add(Controller controller) => _controllers.Add(controller);

    /// <summary>Adds a readiness check of the application's own (e.g. "can reach the API server"), before <see cref="RunAsync"/>.</summary>
    public void AddReadinessCheck(IHealthCheck check) => _extraReadinessChecks.Add(check);

    public IReadOnlyList<IHealthCheck> ReadinessChecks()
    {
        // One check per resource: with --namespace there is one informer per namespace, and the report needs one name each.
        var checks = _informers.GroupBy(i => i.Resource, StringComparer.Ordinal)
            .Select(group => (IHealthCheck)new InformerSyncCheck(group.Key, [.. group]))
            .ToList();
        if (election is not null)
        {
            checks.Add(new LeaderElectionCheck(election));
        }

        checks.AddRange(_extraReadinessChecks);
        return checks;
    }

    /// <summary>Runs until cancelled or, with leader election, until leadership is lost.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        if (options.Health is { } health)
        {
            HealthServer = await HealthServer.StartAsync(health, [new HealthCheck("ping", () => true)], ReadinessChecks(), metrics, stopping).ConfigureAwait(false);
            _logger.LogInformation("Serving probes and metrics at {Address}", HealthServer.Address);
        }

        using var informersCts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var informerTasks = _informers.Select(i => Task.Run(() => i.RunAsync(informersCts.Token), CancellationToken.None)).ToList();
        try
        {
            await WaitForCacheSyncAsync(stopping).ConfigureAwait(false);
            if (election is null)
            {
                await RunControllersAsync(stopping).ConfigureAwait(false);
            }
            else
            {
                await election.RunAsync(RunControllersAsync, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Clean shutdown.
        }
        finally
        {
            await informersCts.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(informerTasks).ConfigureAwait(false);
            if (HealthServer is not null)
            {
                await HealthServer.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task WaitForCacheSyncAsync(CancellationToken stopping)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(options.CacheSyncTimeout);
        while (!_informers.TrueForAll(i => i.HasSynced))
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
            {
                var pending = string.Join(", ", _informers.Where(i => !i.HasSynced).Select(i => i.Resource));
                throw new TimeoutException($"Caches did not sync within {options.CacheSyncTimeout}: {pending}");
            }
        }
    }

    private async Task RunControllersAsync(CancellationToken leading)
    {
        ControllersRunning = true;
        try
        {
            await Task.WhenAll(_controllers.Select(c => c.RunAsync(leading))).ConfigureAwait(false);
        }
        finally
        {
            ControllersRunning = false;
        }
    }
}
