using IncidentResponder.Core.Observations;

namespace IncidentResponder.Core.Detection;

/// <summary>A candidate signal and since when it has been continuously over the thresholds.</summary>
public sealed record HeldSignal(SignalKey Key, DateTimeOffset Since);

/// <summary>
/// The hysteresis memory, as data: the detector takes it in and hands back the next one. The shell may keep it in
/// memory or persist it; either way a restart loses at most one hold period and never opens an incident early.
/// </summary>
public sealed record HysteresisState(ValueList<HeldSignal> Held)
{
    public static HysteresisState Empty { get; } = new(ValueList<HeldSignal>.Empty);

    public DateTimeOffset? SinceOf(SignalKey key) => Held.FirstOrDefault(h => h.Key == key)?.Since;

    /// <summary>
    /// Keeps the start time of candidates still present, starts the clock for new ones at <paramref name="now"/>,
    /// and forgets candidates that fell under the thresholds (one good observation resets the hold).
    /// Candidates of other targets are left as they are, so one state can serve a whole namespace.
    /// </summary>
    public HysteresisState Advance(string @namespace, string target, IEnumerable<SignalKey> candidates, DateTimeOffset now)
    {
        var current = candidates.Distinct().ToList();
        var others = Held.Where(h => h.Key.Namespace != @namespace || h.Key.Target != target);
        var kept = current.Select(key => new HeldSignal(key, SinceOf(key) ?? now));
        return new HysteresisState(new ValueList<HeldSignal>(others.Concat(kept)
            .OrderBy(h => h.Key.Namespace, StringComparer.Ordinal)
            .ThenBy(h => h.Key.Target, StringComparer.Ordinal)
            .ThenBy(h => h.Key.Type)
            .ThenBy(h => h.Key.Revision)));
    }
}
