using Microsoft.AspNetCore.Http;

namespace IncidentResponder.Simulator.Chaos;

/// <summary>
/// The request pipeline's chaos step, run on resource requests before the test hooks' faults. Errors become
/// <see cref="FaultRule"/>s so they are answered exactly like injected faults (Status objects, Retry-After).
/// </summary>
internal sealed class ChaosInjector(ChaosOptions options)
{
    /// <summary>Where a watch finds when chaos drops it (<see cref="HttpContext.Items"/>).</summary>
    public const string WatchDropKey = "sim.chaos.watch-drop";

    /// <summary>Where a watch finds the token that fires at the next compaction (<see cref="HttpContext.Items"/>).</summary>
    public const string CompactionKey = "sim.chaos.compaction";

    private readonly ChaosSchedule _schedule = new(options);
    private readonly Lock _gate = new();
    private CancellationTokenSource _untilCompaction = new();

    /// <summary>
    /// Called after the history was compacted: every watch that chaos may touch ends with a 410 Expired event, as
    /// kube-apiserver ends watches its cache can no longer serve, so their clients must list again.
    /// </summary>
    public void Compacted()
    {
        CancellationTokenSource fired;
        lock (_gate)
        {
            fired = _untilCompaction;
            _untilCompaction = new CancellationTokenSource();
        }

        fired.Cancel();
        fired.Dispose();
    }

    public static bool IsExempt(HttpRequest request) => request.Headers[ChaosOptions.ExemptHeader] == "1";

    /// <summary>
    /// Applies this request's latency and returns the fault to answer with, or null. A reset is done here (the
    /// connection is aborted) and returned as a rule that <see cref="WasReset"/> recognises.
    /// </summary>
    public async Task<FaultRule?> ApplyAsync(HttpContext context, string verb, TimeProvider time)
    {
        var decision = _schedule.Next(verb);
        if (decision.Latency > TimeSpan.Zero)
        {
            await Task.Delay(decision.Latency, time, context.RequestAborted).ConfigureAwait(false);
        }

        if (decision.WatchDropAfter is { } drop)
        {
            context.Items[WatchDropKey] = drop;
        }

        if (verb == "watch" && options.CompactionEvery is not null)
        {
            lock (_gate)
            {
                context.Items[CompactionKey] = _untilCompaction.Token;
            }
        }

        return decision.Fault switch
        {
            ChaosFault.TooManyRequests => new FaultRule { StatusCode = 429, RetryAfterSeconds = 1 },
            ChaosFault.InternalError => new FaultRule { StatusCode = 500, Message = "Internal error occurred: injected chaos" },
            ChaosFault.ServiceUnavailable => new FaultRule { StatusCode = 503, RetryAfterSeconds = 1 },
            ChaosFault.Conflict => new FaultRule { StatusCode = 409 },
            ChaosFault.ResetConnection => Reset(context),
            _ => null,
        };
    }

    private static readonly FaultRule ResetMarker = new();

    /// <summary>Whether the request was answered by resetting its connection.</summary>
    public static bool WasReset(FaultRule fault) => ReferenceEquals(fault, ResetMarker);

    private static FaultRule Reset(HttpContext context)
    {
        // Abort sends a TCP RST on HTTP/1.1: the client sees "connection reset by peer" before any response.
        context.Abort();
        return ResetMarker;
    }
}
