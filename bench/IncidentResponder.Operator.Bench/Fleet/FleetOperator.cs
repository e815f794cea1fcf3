using IncidentResponder.Operator.Hosting;
using IncidentResponder.Runtime.LeaderElection;
using IncidentResponder.Simulator;
using k8s;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Bench.Fleet;

/// <summary>
/// One operator replica in process, under leader election, with its own client. <see cref="Kill"/> stops it the way
/// kill -9 does as far as the cluster can tell: it stops acting and never hands its Lease back, so the standby waits
/// for the lease to expire.
/// </summary>
internal sealed class FleetOperator : IAsyncDisposable, ILeadershipLossHandler
{
    public const string LeaseName = "incident-responder-leader";
    public const string LeaseNamespace = "default";

    private readonly Kubernetes _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    private FleetOperator(string identity, SimulatedCluster cluster, FleetSettings settings, ILoggerFactory loggers)
    {
        Identity = identity;
        _client = new Kubernetes(cluster.ClientConfiguration());
        var options = new OperatorOptions
        {
            Identity = identity,
            Health = null,
            LeaderElection = new LeaderElectionOptions
            {
                LeaseName = LeaseName,
                LeaseNamespace = LeaseNamespace,
                Identity = identity,
                LeaseDuration = settings.LeaseDuration,
                RenewDeadline = settings.RenewDeadline,
                RetryPeriod = settings.RetryPeriod,
                ReleaseOnShutdown = false,
            },
        };
        Instance = OperatorAssembly.Create(_client, options, loggers, TimeProvider.System, this);
        Started = DateTimeOffset.UtcNow;
        _run = Task.Run(() => Instance.RunAsync(_stop.Token), CancellationToken.None);
    }

    public string Identity { get; }

    public OperatorInstance Instance { get; }

    public DateTimeOffset Started { get; }

    public bool Leading => Instance.Manager.Election?.IsLeader == true && Instance.Manager.ControllersRunning;

    public bool Stopped => _run.IsCompleted;

    /// <summary>Why the replica stopped on its own, if it did.</summary>
    public string? Failure => _run.Exception?.GetBaseException().Message;

    public static FleetOperator Start(string identity, SimulatedCluster cluster, FleetSettings settings, ILoggerFactory loggers) =>
        new(identity, cluster, settings, loggers);

    public void Kill() => _stop.Cancel();

    /// <summary>In process the replica just stops; the run reports it as a loss, never by exiting the benchmark.</summary>
    public void OnLeadershipLost() => _stop.Cancel();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
        catch (Exception error) when (error is TimeoutException or InvalidOperationException or HttpRequestException)
        {
            // The replica failed on its own (a cache that did not sync in time); the run already reported it stopped.
        }

        _client.Dispose();
        _stop.Dispose();
    }
}
