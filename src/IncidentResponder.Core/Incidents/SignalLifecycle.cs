using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Core.Incidents;

/// <summary>The incident's list of signals: joins, returns and clears.</summary>
internal static class SignalLifecycle
{
    /// <summary>The API holds at most this many signal records.</summary>
    public const int MaxSignals = 20;

    public static void Observe(IncidentStatus status, ObservedSignal signal, DateTimeOffset now, bool quiet = false)
    {
        status.Signals ??= [];
        var existing = status.Signals.Find(s => s.Fingerprint == signal.Fingerprint);
        if (existing is not null)
        {
            if (existing.Cleared == true)
            {
                existing.Cleared = null;
                IncidentStateMachine.Record(status, now, TimelineEntryType.Detected, $"{signal.Type} observed again: {signal.Message}");
            }

            // LastSeen is deliberately not "now": a status that changed on every reconcile would be written on every
            // reconcile. The first observation fixes the record; clears and returns are what the story needs.
            return;
        }

        if (status.Signals.Count >= MaxSignals)
        {
            return;
        }

        status.Signals.Add(new SignalRecord
        {
            Fingerprint = signal.Fingerprint,
            Type = signal.Type,
            Reason = signal.Reason,
            Message = ActionRecords.Truncate(signal.Message),
            FirstSeen = signal.FirstSeen.UtcDateTime,
            LastSeen = signal.FirstSeen.UtcDateTime,
        });
        if (!quiet)
        {
            IncidentStateMachine.Record(status, now, TimelineEntryType.Detected, $"{signal.Type} joined the incident: {signal.Message}");
        }
    }

    public static void Clear(IncidentStatus status, string fingerprint, DateTimeOffset now)
    {
        var existing = status.Signals?.Find(s => s.Fingerprint == fingerprint);
        if (existing is null || existing.Cleared == true)
        {
            return;
        }

        existing.Cleared = true;
        existing.LastSeen = now.UtcDateTime;
        IncidentStateMachine.Record(status, now, TimelineEntryType.Evidence, $"{existing.Type} no longer observed ({fingerprint})");
    }
}
