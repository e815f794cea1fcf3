using System.Diagnostics;
using IncidentResponder.Runtime.LeaderElection;
using IncidentResponder.Runtime.Metrics;
using IncidentResponder.Runtime.Tests.Support;
using IncidentResponder.Simulator;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;

namespace IncidentResponder.Runtime.Tests.Simulated;

[Collection(SerialCollection.Name)]
public sealed class LeaderElectionSimulatorTests : IAsyncDisposable
{
    private static readonly LeaderElectionOptions Short = new()
    {
        LeaseName = "runtime-test-leader",
        LeaseNamespace = "default",
        Identity = "unset",
        LeaseDuration = TimeSpan.FromSeconds(2),
        RenewDeadline = TimeSpan.FromSeconds(1.5),
        RetryPeriod = TimeSpan.FromMilliseconds(500),
    };

    private readonly List<Candidate> _candidates = [];
    private readonly CancellationTokenSource _monitorStop = new();
    private SimulatorSession? _session;
    private Task? _monitor;
    private int _maxActing;
    private volatile int _acting;

    public async ValueTask DisposeAsync()
    {
        foreach (var candidate in _candidates)
        {
            await candidate.StopAsync();
        }

        await _monitorStop.CancelAsync();
        if (_monitor is not null)
        {
            await _monitor;
        }

        if (_session is not null)
        {
            await _session.DisposeAsync();
        }

        _monitorStop.Dispose();
    }

    [Fact]
    public async Task Killing_the_leader_hands_over_after_lease_expiry_within_the_bound_and_never_two_act()
    {
        await StartAsync();
        var a = Add(Short with { Identity = "a", ReleaseOnShutdown = false });
        await Eventually.TrueAsync(() => a.Service.IsLeader, "a leads");
        var b = Add(Short with { Identity = "b", ReleaseOnShutdown = false });
        await Eventually.TrueAsync(() => b.Service.IsHealthy && b.Service.CurrentLeader == "a", "b stands by healthily");

        // A crash: no release, the lease has to expire.
        var killedAt = Stopwatch.StartNew();
        await a.StopAsync();
        await Eventually.TrueAsync(() => b.LeadingSince is not null, "b takes over", TimeSpan.FromSeconds(10));

        // KubernetesClient's elector times expiry from when the standby *observed* the last renewal (it polls every
        // retry period), so measured from the kill the bound is lease duration + retry period, plus the one retry
        // period the standby may need to observe that last renewal.
        var bound = Short.LeaseDuration + Short.RetryPeriod + Short.RetryPeriod;
        TestContext.Current.TestOutputHelper?.WriteLine($"[leader] takeover after kill: {b.TookOverAfter(killedAt)} (bound {bound})");
        Assert.True(b.TookOverAfter(killedAt) <= bound, $"takeover took {b.TookOverAfter(killedAt)}, bound {bound}");
        Assert.True(b.TookOverAfter(killedAt) >= Short.LeaseDuration - Short.RetryPeriod, "took over before the crashed leader's lease could have expired");
        Assert.Equal(1, _maxActing);
    }

    [Fact]
    public async Task Clean_shutdown_releases_the_lease_so_the_standby_takes_over_within_3_seconds_with_default_durations()
    {
        await StartAsync();
        var defaults = new LeaderElectionOptions { LeaseName = "runtime-default-leader", LeaseNamespace = "default", Identity = "a" };
        var a = Add(defaults);
        await Eventually.TrueAsync(() => a.Service.IsLeader, "a leads");
        var b = Add(defaults with { Identity = "b" });
        await Eventually.TrueAsync(() => b.Service.CurrentLeader == "a", "b sees a");

        var stoppedAt = Stopwatch.StartNew();
        await a.StopAsync();
        await Eventually.TrueAsync(() => b.LeadingSince is not null, "b takes over", TimeSpan.FromSeconds(10));

        TestContext.Current.TestOutputHelper?.WriteLine($"[leader] takeover after clean shutdown: {b.TookOverAfter(stoppedAt)}");
        Assert.True(b.TookOverAfter(stoppedAt) <= TimeSpan.FromSeconds(3), $"takeover took {b.TookOverAfter(stoppedAt)}");
        Assert.Equal(LeaderElectionState.Stopped, a.Service.State);
        Assert.Equal(1, _maxActing);
    }

    [Fact]
    public async Task A_leader_that_cannot_renew_stops_acting_before_its_lease_expires_and_asks_to_exit()
    {
        var session = await StartAsync();
        var a = Add(Short with { Identity = "a" });
        await Eventually.TrueAsync(() => a.Service.IsLeader, "a leads");

        var cutAt = Stopwatch.StartNew();
        using var partition = session.Hooks.InjectFault(new FaultRule { ApiGroup = "coordination.k8s.io", Resource = "leases", StatusCode = 500 });
        await Eventually.TrueAsync(() => a.ExitRequested, "loss handler called", TimeSpan.FromSeconds(10));

        Assert.Equal(LeaderElectionState.Lost, a.Service.State);
        Assert.NotNull(a.StoppedActingAfterLeading);
        Assert.True(cutAt.Elapsed < Short.RenewDeadline + Short.LeaseDuration, $"noticed after {cutAt.Elapsed}");
        await a.Run.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Equal(0, new RuntimeMetricsProbe(a.Metrics).LeaderStatus("runtime-test-leader"));
    }

    private async Task<SimulatorSession> StartAsync()
    {
        _session = await SimulatorSession.StartAsync();
        _monitor = Task.Run(async () =>
        {
            // Checked continuously for the whole test: never more than one instance acting as leader.
            while (!_monitorStop.IsCancellationRequested)
            {
                _maxActing = Math.Max(_maxActing, _acting);
                await Task.Yield();
            }
        });
        return _session;
    }

    private Candidate Add(LeaderElectionOptions options)
    {
        var candidate = new Candidate(new Kubernetes(_session!.Cluster.ClientConfiguration()), options, this);
        _candidates.Add(candidate);
        return candidate;
    }

    private sealed class Candidate : ILeadershipLossHandler
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly IKubernetes _client;

        public Candidate(IKubernetes client, LeaderElectionOptions options, LeaderElectionSimulatorTests test)
        {
            _client = client;
            Service = new LeaderElectionService(client, options, this, Metrics, NullLogger.Instance);
            Run = Service.RunAsync(
                async leading =>
                {
                    LeadingSince = _clock.Elapsed;
                    Interlocked.Increment(ref test._acting);
                    try
                    {
                        await Task.Delay(Timeout.Infinite, leading);
                    }
                    finally
                    {
                        Interlocked.Decrement(ref test._acting);
                        StoppedActingAfterLeading = _clock.Elapsed;
                    }
                },
                _stop.Token);
        }

        public RuntimeMetrics Metrics { get; } = RuntimeMetrics.CreateIsolated();

        public LeaderElectionService Service { get; }

        public Task Run { get; }

        public TimeSpan? LeadingSince { get; private set; }

        public TimeSpan? StoppedActingAfterLeading { get; private set; }

        public bool ExitRequested { get; private set; }

        public void OnLeadershipLost() => ExitRequested = true;

        /// <summary>Time from an event measured by <paramref name="since"/> to this candidate starting to lead.</summary>
        public TimeSpan TookOverAfter(Stopwatch since) => since.Elapsed - (_clock.Elapsed - LeadingSince!.Value);

        public async Task StopAsync()
        {
            if (!_stop.IsCancellationRequested)
            {
                await _stop.CancelAsync();
            }

            await Run.WaitAsync(TimeSpan.FromSeconds(30));
            _client.Dispose();
        }
    }
}
