using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Exhaustion;
using IncidentResponder.Core.Revisions;

namespace IncidentResponder.Operator.Observation;

/// <summary>The last detection of a target, for diagnostics and tests: when it ran and what it found.</summary>
public sealed record DetectionSnapshot(DateTimeOffset At, long? Revision, int Confirmed, int Pending);

/// <summary>
/// What the shell remembers about one Deployment between reconciles. Memory only, on purpose (the core's README): a
/// restart only restarts the hysteresis hold; soak times it forgets are read back from the ReplicaSets
/// (incidentresponder.dev/available-since). It never acts early or twice.
/// </summary>
internal sealed class TargetMemory
{
    public Lock Gate { get; } = new();

    public HysteresisState Hysteresis { get; set; } = HysteresisState.Empty;

    public RevisionHistory History { get; set; } = RevisionHistory.Empty;

    /// <summary>Restart counts seen over time: "exit 137 with rising restarts" and restart storms need the past.</summary>
    public RestartHistory Restarts { get; set; } = RestartHistory.Empty;

    /// <summary>The current revision at the last observation.</summary>
    public long? LastRevision { get; set; }

    /// <summary>When this process saw the current revision replace another; null when it was current from the start.</summary>
    public DateTimeOffset? RevisionChangedAt { get; set; }

    public DetectionSnapshot? Last { get; set; }
}
