namespace IncidentResponder.Simulator.Chaos;

/// <summary>What chaos does to one request.</summary>
internal enum ChaosFault
{
    None,
    TooManyRequests,
    InternalError,
    ServiceUnavailable,
    ResetConnection,
    Conflict,
}

/// <summary>The decision for one request: extra latency, a fault, and for a watch when to drop it.</summary>
internal readonly record struct ChaosDecision(TimeSpan Latency, ChaosFault Fault, TimeSpan? WatchDropAfter);

/// <summary>
/// Draws decisions from one seeded <see cref="Random"/> under a lock, so the sequence of decisions is fixed by the --chaos-seed number
/// (which request gets which depends only on arrival order).
/// </summary>
internal sealed class ChaosSchedule(ChaosOptions options)
{
    private static readonly ChaosFault[] Errors = [ChaosFault.TooManyRequests, ChaosFault.InternalError, ChaosFault.ServiceUnavailable, ChaosFault.ResetConnection];

    private readonly Random _random = new(options.Seed);
    private readonly Lock _gate = new();

    public ChaosOptions Options => options;

    public ChaosDecision Next(string verb)
    {
        lock (_gate)
        {
            var latency = options.MaxLatency > TimeSpan.Zero ? options.MaxLatency * _random.NextDouble() : TimeSpan.Zero;
            var fault = ChaosFault.None;
            if (options.ErrorRate > 0 && _random.NextDouble() < options.ErrorRate)
            {
                fault = Errors[_random.Next(Errors.Length)];
            }
            else if (options.ConflictRate > 0 && verb is "update" or "patch" && _random.NextDouble() < options.ConflictRate)
            {
                fault = ChaosFault.Conflict;
            }

            TimeSpan? drop = verb == "watch" && options.WatchDropWithin is { } within && within > TimeSpan.Zero
                ? within * (1 - _random.NextDouble())
                : null;
            return new ChaosDecision(latency, fault, drop);
        }
    }
}
