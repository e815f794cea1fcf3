using System.Net;
using k8s.Autorest;
using k8s.LeaderElection;

namespace IncidentResponder.Runtime.LeaderElection;

/// <summary>
/// Wraps the lease lock to learn what the elector does not report: when the API server last answered (a standby is
/// only healthy if it can still see the lease) and how to give the lease back on shutdown. It also turns a request
/// that never got an answer (connection refused or reset, timeout) into a failed attempt: KubernetesClient's elector
/// treats an HTTP error status as "try again within the renew deadline", as client-go does, but any other exception
/// as lost leadership at once, so one dropped connection would end a leader's term.
/// </summary>
internal sealed class ObservedLock(ILock inner, TimeProvider timeProvider) : ILock
{
    private long _lastContact = long.MinValue;

    public string Identity => inner.Identity;

    public TimeSpan? SinceLastContact =>
        Interlocked.Read(ref _lastContact) is var at && at == long.MinValue ? null : timeProvider.GetElapsedTime(at);

    public async Task<LeaderElectionRecord> GetAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var record = await inner.GetAsync(cancellationToken).ConfigureAwait(false);
            Touch();
            return record;
        }
        catch (Exception error) when (Unanswered(error, cancellationToken))
        {
            // The elector's answer to a failed read with a status other than 404 is "not renewed this time".
            throw new HttpOperationException($"the lease could not be read: {error.Message}", error)
            {
                Response = new HttpResponseMessageWrapper(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable), string.Empty),
            };
        }
    }

    public async Task<bool> CreateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default)
    {
        try
        {
            var created = await inner.CreateAsync(record, cancellationToken).ConfigureAwait(false);
            Touch();
            return created;
        }
        catch (Exception error) when (Unanswered(error, cancellationToken))
        {
            return false;
        }
    }

    public async Task<bool> UpdateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default)
    {
        try
        {
            var updated = await inner.UpdateAsync(record, cancellationToken).ConfigureAwait(false);
            Touch();
            return updated;
        }
        catch (Exception error) when (Unanswered(error, cancellationToken))
        {
            return false;
        }
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

    /// <summary>No answer from the API server: a network failure, or a timeout that is not our own cancellation.</summary>
    private static bool Unanswered(Exception error, CancellationToken cancellationToken) =>
        error is HttpRequestException or IOException
        || (error is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private void Touch() => Interlocked.Exchange(ref _lastContact, timeProvider.GetTimestamp());
}
