namespace IncidentResponder.Simulator.Chaos;

/// <summary>
/// Faults injected from outside the client, on a schedule drawn from <see cref="Seed"/>: the same seed and the same
/// request order give the same faults, so a run that broke something can be replayed. Requests carrying
/// <see cref="ExemptHeader"/>: 1 are never touched (a test harness's own setup and checks).
/// </summary>
public sealed record ChaosOptions
{
    /// <summary>The request header that exempts a request from chaos (value "1").</summary>
    public const string ExemptHeader = "X-Sim-No-Chaos";

    public int Seed { get; init; }

    /// <summary>The fraction of resource requests answered with 429 (Retry-After), 500, 503 or a reset connection, in equal shares.</summary>
    public double ErrorRate { get; init; }

    /// <summary>Each resource request waits a uniform random time up to this long before it is served.</summary>
    public TimeSpan MaxLatency { get; init; }

    /// <summary>Each watch is closed (cleanly, as at a timeout) at a uniform random time within this; null: never.</summary>
    public TimeSpan? WatchDropWithin { get; init; }

    /// <summary>All watch history is compacted this often, so a watch resuming from an older version gets 410 Gone; null: never.</summary>
    public TimeSpan? CompactionEvery { get; init; }

    /// <summary>The fraction of updates and patches answered with a spurious 409 Conflict (the optimistic-lock wording).</summary>
    public double ConflictRate { get; init; }
}
