using IncidentResponder.Simulator.Controllers;

namespace IncidentResponder.Simulator.Kubelet;

/// <summary>What one kubelet sync of a pod decided: the new memory, the writes (status, events, logs) and when to sync again.</summary>
public sealed record PodSync(PodMemory Memory, IReadOnlyList<ControllerWrite> Writes, DateTimeOffset? WakeAt);
