using System.CommandLine;
using System.Globalization;
using IncidentResponder.Simulator.Chaos;

namespace IncidentResponder.Commands;

/// <summary>
/// The <c>sim --chaos-*</c> flags: faults from outside the operator on a seeded schedule, so a run that broke
/// something can be replayed with the printed seed.
/// </summary>
internal sealed class ChaosFlags
{
    private readonly Option<int?> _seed = new("--chaos-seed")
    {
        Description = "Seed of the chaos schedule (same seed, same request order: same faults); random and printed when not given.",
    };

    private readonly Option<string?> _errorRate = new("--chaos-error-rate")
    {
        Description = $"Fraction 0..1 of API requests answered with 429 (Retry-After), 500, 503 or a reset connection. "
            + $"Requests with the header {ChaosOptions.ExemptHeader}: 1 are never touched by chaos.",
    };

    private readonly Option<string?> _latency = new("--chaos-latency")
    {
        Description = "Extra latency per API request, uniform between 0 and this duration (e.g. 200ms, 1s).",
    };

    private readonly Option<string?> _watchDrop = new("--chaos-watch-drop")
    {
        Description = "Close every watch at a random time within this duration (e.g. 1s, 30s), as a server-side timeout would.",
    };

    private readonly Option<string?> _compaction = new("--chaos-compaction")
    {
        Description = "Compact the watch history this often (e.g. 2s), so watches resumed from older versions get 410 Gone.",
    };

    private readonly Option<string?> _conflictRate = new("--chaos-conflict-rate")
    {
        Description = "Fraction 0..1 of updates and patches answered with a spurious 409 Conflict.",
    };

    public IEnumerable<Option> All => [_seed, _errorRate, _latency, _watchDrop, _compaction, _conflictRate];

    /// <summary>The chaos the flags ask for, or null when no chaos flag was given (a --chaos-seed alone injects nothing).</summary>
    public ChaosOptions? Read(ParseResult parse)
    {
        var errorRate = Rate(parse, _errorRate);
        var conflictRate = Rate(parse, _conflictRate);
        var latency = Duration(parse, _latency);
        var watchDrop = Duration(parse, _watchDrop);
        var compaction = Duration(parse, _compaction);
        if (errorRate == 0 && conflictRate == 0 && latency is null && watchDrop is null && compaction is null)
        {
            return null;
        }

        return new ChaosOptions
        {
            Seed = parse.GetValue(_seed) ?? Random.Shared.Next(),
            ErrorRate = errorRate,
            ConflictRate = conflictRate,
            MaxLatency = latency ?? TimeSpan.Zero,
            WatchDropWithin = watchDrop,
            CompactionEvery = compaction,
        };
    }

    private static double Rate(ParseResult parse, Option<string?> option)
    {
        if (parse.GetValue(option) is not { } text)
        {
            return 0;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || rate is < 0 or > 1)
        {
            throw new UserError($"{option.Name} must be a fraction between 0 and 1, e.g. 0.1 (got {text})");
        }

        return rate;
    }

    private static TimeSpan? Duration(ParseResult parse, Option<string?> option)
    {
        if (parse.GetValue(option) is not { } text)
        {
            return null;
        }

        return TryParseDuration(text) is { } duration && duration > TimeSpan.Zero
            ? duration
            : throw new UserError($"{option.Name} must be a positive duration with a unit, e.g. 500ms, 2s or 1m (got {text})");
    }

    /// <summary>A number and one unit (ms, s, m, h), as kubectl's duration flags are mostly written.</summary>
    private static TimeSpan? TryParseDuration(string text)
    {
        var units = new (string Suffix, double Milliseconds)[] { ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000) };
        foreach (var (suffix, milliseconds) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                && double.IsFinite(value))
            {
                return TimeSpan.FromMilliseconds(value * milliseconds);
            }
        }

        return null;
    }
}
