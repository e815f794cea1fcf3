using IncidentResponder.Runtime.Metrics;
using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace IncidentResponder.Runtime.LeaderElection;

/// <summary>
/// Runs the controllers only while this process holds the Lease, using KubernetesClient's LeaderElector.
/// Losing the lease cancels the leading work at once (before anything else runs) and then calls the
/// <see cref="ILeadershipLossHandler"/>, which exits the process: no re-entering the election (see the handler's doc).
/// On clean shutdown the leading work is stopped first and the lease is then released so a standby takes over at once.
/// </summary>
public sealed class LeaderElectionService
{
    private readonly LeaderElectionOptions _options;
    private readonly ObservedLock _lock;
    private readonly ILeadershipLossHandler _lossHandler;
    private readonly ILogger _logger;
    private readonly Gauge.Child _leaderGauge;
    private readonly Lock _gate = new();
    private CancellationTokenSource? _leadingCts;
    private Task _leadingTask = Task.CompletedTask;

    public LeaderElectionService(IKubernetes client, LeaderElectionOptions options, ILeadershipLossHandler lossHandler, RuntimeMetrics metrics, ILogger logger, TimeProvider? timeProvider = null)
        : this(new LeaseLock(client, options.LeaseNamespace, options.LeaseName, options.Identity), options, lossHandler, metrics, logger, timeProvider)
    {
    }

    internal LeaderElectionService(ILock leaseLock, LeaderElectionOptions options, ILeadershipLossHandler lossHandler, RuntimeMetrics metrics, ILogger logger, TimeProvider? timeProvider = null)
    {
        _options = options;
        _lock = new ObservedLock(leaseLock, timeProvider ?? TimeProvider.System);
        _lossHandler = lossHandler;
        _logger = logger;
        _leaderGauge = metrics.LeaderStatus.WithLabels(options.LeaseName);
        _leaderGauge.Set(0);
    }

    public LeaderElectionState State { get; private set; } = LeaderElectionState.StandingBy;

    public bool IsLeader => State == LeaderElectionState.Leading;

    /// <summary>The holder this instance last saw.</summary>
    public string? CurrentLeader { get; private set; }

    /// <summary>
    /// For readiness: leading, or standing by while still able to reach the lease (a standby that cannot see the lease
    /// could not take over, so it is not healthy).
    /// </summary>
    public bool IsHealthy => State switch
    {
        LeaderElectionState.Leading => true,
        LeaderElectionState.StandingBy => _lock.SinceLastContact is { } since && since < _options.LeaseDuration + _options.RenewDeadline,
        _ => false,
    };

    /// <summary>
    /// Campaigns until leadership is won, runs <paramref name="lead"/> while leading, and returns when leadership is lost
    /// or <paramref name="stopping"/> fires. <paramref name="lead"/>'s token is cancelled the moment leadership ends.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> lead, CancellationToken stopping)
    {
        var config = new LeaderElectionConfig(_lock)
        {
            LeaseDuration = _options.LeaseDuration,
            RenewDeadline = _options.RenewDeadline,
            RetryPeriod = _options.RetryPeriod,
        };
        using var elector = new LeaderElector(config);
        elector.OnNewLeader += leader =>
        {
            CurrentLeader = leader;
            _logger.LogInformation("Lease {Lease} is held by {Leader}", _options.LeaseName, leader);
        };
        elector.OnError += error =>
        {
            // One line per failed try, as an unreachable API server fails every retry the same way; the trace at Debug.
            _logger.LogWarning("Leader election error on lease {Lease}; retrying in {RetryPeriod} ({ErrorType}: {Error})",
                _options.LeaseName, _options.RetryPeriod, error.GetType().Name, error.Message.ReplaceLineEndings(" "));
            _logger.LogDebug(error, "Leader election error on lease {Lease}", _options.LeaseName);
        };
        elector.OnStartedLeading += () => StartLeading(lead);
        elector.OnStoppedLeading += () => StopLeading(lost: !stopping.IsCancellationRequested);

        try
        {
            await elector.RunUntilLeadershipLostAsync(stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Clean shutdown.
        }
        finally
        {
            // The elector raises OnStoppedLeading itself when it led; this covers a shutdown while standing by.
            StopLeading(lost: false);
            await AwaitLeadingWorkAsync().ConfigureAwait(false);
        }

        if (State == LeaderElectionState.Lost)
        {
            // Only now, with the leading work ended (or given up on), ask the process to exit: a handler that stops the
            // host at once must not race work that is still winding down without the lease.
            _lossHandler.OnLeadershipLost();
        }

        if (State == LeaderElectionState.Stopped && _options.ReleaseOnShutdown)
        {
            await ReleaseAsync().ConfigureAwait(false);
        }
    }

    private void StartLeading(Func<CancellationToken, Task> lead)
    {
        lock (_gate)
        {
            _logger.LogInformation("{Identity} became leader of lease {Lease}", _options.Identity, _options.LeaseName);
            State = LeaderElectionState.Leading;
            CurrentLeader = _options.Identity;
            _leaderGauge.Set(1);
            _leadingCts = new CancellationTokenSource();
            var token = _leadingCts.Token;
            _leadingTask = Task.Run(() => lead(token), CancellationToken.None);
        }
    }

    private void StopLeading(bool lost)
    {
        lock (_gate)
        {
            if (State is LeaderElectionState.Lost or LeaderElectionState.Stopped)
            {
                return;
            }

            var wasLeading = State == LeaderElectionState.Leading;
            State = lost && wasLeading ? LeaderElectionState.Lost : LeaderElectionState.Stopped;
            _leaderGauge.Set(0);

            // Stop acting first: nothing may reconcile once we are no longer sure we hold the lease.
            _leadingCts?.Cancel();
            if (State == LeaderElectionState.Lost)
            {
                _logger.LogError("{Identity} lost leadership of lease {Lease}; stopping controllers and exiting", _options.Identity, _options.LeaseName);
            }
        }
    }

    private async Task AwaitLeadingWorkAsync()
    {
        try
        {
            // Bounded: work that ignores its cancelled token must not keep a leaderless process from exiting.
            await _leadingTask.WaitAsync(_options.LeaseDuration).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected: the leading work was cancelled.
        }
        catch (TimeoutException)
        {
            _logger.LogError("Leading work of {Identity} did not stop within {LeaseDuration} of losing the lease", _options.Identity, _options.LeaseDuration);
        }
        catch (Exception error)
        {
            _logger.LogError(error, "Leading work of {Identity} failed", _options.Identity);
        }
        finally
        {
            _leadingCts?.Dispose();
        }
    }

    private async Task ReleaseAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(_options.RenewDeadline);
            if (await _lock.ReleaseAsync(timeout.Token).ConfigureAwait(false))
            {
                _logger.LogInformation("{Identity} released lease {Lease}", _options.Identity, _options.LeaseName);
            }
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // The lease then simply expires; the standby takes over after LeaseDuration instead of at once.
            _logger.LogWarning(error, "Could not release lease {Lease}", _options.LeaseName);
        }
    }
}
