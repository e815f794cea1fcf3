using IncidentResponder.Runtime.LeaderElection;
using IncidentResponder.Runtime.Metrics;
using k8s.LeaderElection;
using Microsoft.Extensions.Logging.Abstractions;

namespace IncidentResponder.Runtime.Tests.LeaderElection;

/// <summary>
/// A leader keeps its term through a renewal that got no answer (a dropped connection), as client-go's leaders do:
/// renewals are retried until the renew deadline, and only a deadline without any successful renewal ends the term.
/// </summary>
public sealed class UnansweredRenewalTests
{
    private static readonly LeaderElectionOptions Options = new()
    {
        LeaseName = "unanswered",
        LeaseNamespace = "default",
        Identity = "a",
        LeaseDuration = TimeSpan.FromSeconds(3),
        RenewDeadline = TimeSpan.FromSeconds(2),
        RetryPeriod = TimeSpan.FromMilliseconds(100),
        ReleaseOnShutdown = false,
    };

    [Fact]
    public async Task A_dropped_connection_during_renewal_is_retried_and_the_term_goes_on()
    {
        await using var leader = await Leader.StartAsync();

        leader.Lease.FailNext(2);
        var renewalsAtFault = leader.Lease.Renewals;
        await Eventually.TrueAsync(() => leader.Lease.Failures == 2 && leader.Lease.Renewals >= renewalsAtFault + 3, "renewals going on after two unanswered ones");

        Assert.False(leader.Lost, "a dropped connection ended the leader's term");
        Assert.True(leader.Service.IsLeader);
    }

    [Fact]
    public async Task A_leader_that_gets_no_answer_until_its_renew_deadline_stops_leading()
    {
        await using var leader = await Leader.StartAsync();

        leader.Lease.FailNext(int.MaxValue);
        await Eventually.TrueAsync(() => leader.Lost, "the loss handler called once the renew deadline passed", TimeSpan.FromSeconds(10));

        Assert.True(leader.Lease.Failures > 1, $"gave up after {leader.Lease.Failures} unanswered renewal(s), before its renew deadline");
    }

    /// <summary>One candidate on an in-memory lease, leading once started; disposing it stops it.</summary>
    private sealed class Leader : ILeadershipLossHandler, IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private volatile bool _lost;
        private Task _run = Task.CompletedTask;

        private Leader() => Service = new LeaderElectionService(Lease, Options, this, RuntimeMetrics.CreateIsolated(), NullLogger.Instance);

        public InMemoryLease Lease { get; } = new("a");

        public LeaderElectionService Service { get; }

        public bool Lost => _lost;

        public static async Task<Leader> StartAsync()
        {
            var leader = new Leader();
            leader._run = leader.Service.RunAsync(leading => Task.Delay(Timeout.Infinite, leading), leader._stop.Token);
            await Eventually.TrueAsync(() => leader.Service.IsLeader, "a leads");
            return leader;
        }

        public void OnLeadershipLost() => _lost = true;

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _run.WaitAsync(TimeSpan.FromSeconds(10));
            _stop.Dispose();
        }
    }

    /// <summary>A lease held in memory whose next calls can fail as a dropped connection does (no HTTP answer at all).</summary>
    private sealed class InMemoryLease(string identity) : ILock
    {
        private readonly Lock _gate = new();
        private LeaderElectionRecord? _record;
        private int _failNext;
        private int _failures;
        private int _renewals;

        public string Identity => identity;

        public int Failures => Volatile.Read(ref _failures);

        public int Renewals => Volatile.Read(ref _renewals);

        public void FailNext(int calls) => Volatile.Write(ref _failNext, calls);

        public Task<LeaderElectionRecord> GetAsync(CancellationToken cancellationToken = default)
        {
            ThrowIfFailing();
            lock (_gate)
            {
                return Task.FromResult(_record is null ? null! : Copy(_record));
            }
        }

        public Task<bool> CreateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default)
        {
            ThrowIfFailing();
            lock (_gate)
            {
                _record ??= Copy(record);
                return Task.FromResult(_record.HolderIdentity == record.HolderIdentity);
            }
        }

        public Task<bool> UpdateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default)
        {
            ThrowIfFailing();
            lock (_gate)
            {
                _record = Copy(record);
                Interlocked.Increment(ref _renewals);
                return Task.FromResult(true);
            }
        }

        public string Describe() => $"in-memory lease of {identity}";

        private void ThrowIfFailing()
        {
            if (Volatile.Read(ref _failNext) > 0)
            {
                Interlocked.Decrement(ref _failNext);
                Interlocked.Increment(ref _failures);
                throw new HttpRequestException("Connection refused (127.0.0.1:6443)");
            }
        }

        private static LeaderElectionRecord Copy(LeaderElectionRecord record) => new()
        {
            HolderIdentity = record.HolderIdentity,
            LeaseDurationSeconds = record.LeaseDurationSeconds,
            AcquireTime = record.AcquireTime,
            RenewTime = record.RenewTime,
            LeaderTransitions = record.LeaderTransitions,
        };
    }
}
