using k8s.LeaderElection;

namespace IncidentResponder.Runtime.LeaderElection;

/// <summary>
/// Wraps the lease lock to learn what the elector does not report: when the API server last answered (a standby is
/// only healthy if it can still see the lease) and how to give the lease back on shutdown.
/// </summary>
internal sealed class ObservedLock(ILock inner, TimeProvider timeProvider) : ILock
{
    private long _lastContact = long.MinValue;

    public string Identity => inner.Identity;

    public TimeSpan? SinceLastContact =>
        Interlocked.Read(ref _lastContact) is var at && at == long.MinValue ? null : timeProvider.GetElapsedTime(at);

    public async Task<LeaderElectionRecord> GetAsync(CancellationToken cancellationToken = default)
    {
        var record = await inner.GetAsync(cancellationToken).ConfigureAwait(false);
        Touch();
        return record;
    }

    public async Task<bool> CreateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default)
    {
        var created = await inner.CreateAsync(record, cancellationToken).ConfigureAwait(false);
        Touch();
        return created;
    }

    public async Task<bool> UpdateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default)
    {
        var updated = await inner.UpdateAsync(record, cancellationToken).ConfigureAwait(false);
        Touch();
        return updated;
    }

    public string Describe() => inner.Describe();

    /// <summary>
    /// KubernetesClient has no ReleaseOnCancel; this is client-go's release: if we still hold the lease, write an empty
    /// holder with a 1 s duration. Candidates treat an empty holder as free and take it on their next attempt.
    /// </summary>
    public async Task<bool> ReleaseAsync(CancellationToken cancellationToken)
    {
        var current = await inner.GetAsync(cancellationToken).ConfigureAwait(false);
        if (current?.HolderIdentity != Identity)
        {
            return false;
        }

        var now = timeProvider.GetUtcNow().UtcDateTime;
        return await inner.UpdateAsync(
            new LeaderElectionRecord
            {
                HolderIdentity = string.Empty,
                LeaseDurationSeconds = 1,
                AcquireTime = now,
                RenewTime = now,
                LeaderTransitions = current.LeaderTransitions,
            },
            cancellationToken).ConfigureAwait(false);
    }

    private void Touch() => Interlocked.Exchange(ref _lastContact, timeProvider.GetTimestamp());
}
