using IncidentResponder.Core.Detection;

namespace IncidentResponder.Core.Exhaustion;

/// <summary>The rollout detector's input plus what exhaustion detection also reads.</summary>
/// <param name="NodeOomEvents">Recent OOMKilling events of the nodes the target's pods run on.</param>
/// <param name="Placements">Node and UID of the target's pods, to match node events to pods.</param>
public sealed record ExhaustionInput(
    DetectionInput Observed,
    IReadOnlyList<NodeOomEvent> NodeOomEvents,
    IReadOnlyList<PodPlacement> Placements)
{
    public static ExhaustionInput Of(DetectionInput observed) => new(observed, [], []);
}

/// <summary>The detection result (same type as the rollout detector's) and the restart history to feed next time.</summary>
public sealed record ExhaustionDetection(DetectionResult Result, RestartHistory Restarts);
