namespace IncidentResponder.Core.Notifications;

/// <summary>
/// The signatures of the Slack requests already accepted, each kept until its timestamp leaves the five-minute window
/// (after which <see cref="SlackSignature"/> refuses it as stale anyway), so the same request sent twice is applied once.
/// Bounded: when full of live entries it refuses new ones rather than forget one that could still be replayed.
/// Thread-safe; the caller passes the time.
/// </summary>
public sealed class SlackReplayMemory(int capacity = SlackReplayMemory.DefaultCapacity)
{
    /// <summary>Far more clicks than people make in five minutes.</summary>
    public const int DefaultCapacity = 10_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, DateTimeOffset> _expiries = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, DateTimeOffset> _byExpiry = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _expiries.Count;
            }
        }
    }

    /// <summary>Remembers a signature accepted now, for a request signed at <paramref name="requestTime"/>.</summary>
    public SlackReplayVerdict TryRemember(string signature, DateTimeOffset requestTime, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(signature);
        lock (_lock)
        {
            Forget(now);
            if (_expiries.ContainsKey(signature))
            {
                return SlackReplayVerdict.Replay;
            }

            if (_expiries.Count >= capacity)
            {
                return SlackReplayVerdict.Full;
            }

            // A request is fresh until its timestamp is the tolerance away from now, in the past; a timestamp ahead of
            // this clock keeps it fresh longer.
            var expiry = (requestTime > now ? requestTime : now) + SlackSignature.Tolerance;
            _expiries[signature] = expiry;
            _byExpiry.Enqueue(signature, expiry);
            return SlackReplayVerdict.First;
        }
    }

    private void Forget(DateTimeOffset now)
    {
        while (_byExpiry.TryPeek(out var signature, out var expiry) && expiry <= now)
        {
            _byExpiry.Dequeue();
            _expiries.Remove(signature);
        }
    }
}

public enum SlackReplayVerdict
{
    /// <summary>Not seen before: apply it.</summary>
    First,

    /// <summary>Accepted once already: refuse it.</summary>
    Replay,

    /// <summary>Too many live requests to remember another: refuse it, as it could not be recognised if sent again.</summary>
    Full,
}
