namespace IncidentResponder.Runtime.Informers;

/// <summary>Why a watch stopped; the value of the <c>reason</c> label of informer_watch_restarts_total.</summary>
internal enum WatchEndReason
{
    /// <summary>The server ended the stream (timeoutSeconds or its own limit): resume from the last resourceVersion.</summary>
    Closed,

    /// <summary>410: the resourceVersion is too old; only a fresh LIST can resynchronise.</summary>
    Expired,

    /// <summary>Silent for longer than the stall timeout: the watchdog cut it.</summary>
    Stalled,

    /// <summary>Transport or decoding failure: back off, then resume.</summary>
    Error,
}
