using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Operator.Bench.Workloads;

/// <summary>
/// When each workload's signal became clear at the API server: the commit of the first pod status of its bad revision
/// that shows the container crash-looping. An admission step of the simulated API server sees the kubelet's status
/// write just before the store commits it; the pod's <c>app</c> label names its workload.
/// </summary>
internal sealed class BadPodClock : IAdmissionStep
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _clear = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _armed = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, DateTimeOffset> Clear => _clear;

    /// <summary>Starts timing a workload: only crash loops from now on count (the bad rollout is about to start).</summary>
    public void Arm(string workload) => _armed[workload] = true;

    public void Admit(AdmissionContext context, JsonObject obj, JsonObject? old)
    {
        if (context.Options.DryRun || context.Definition.Type.Resource != "pods" || context.Subresource != "status")
        {
            return;
        }

        if (obj["metadata"]?["labels"]?["app"]?.GetValue<string>() is not { } app || !_armed.ContainsKey(app))
        {
            return;
        }

        var crashLooping = obj["status"]?["containerStatuses"] is JsonArray statuses
            && statuses.Any(s => s?["state"]?["waiting"]?["reason"]?.GetValue<string>() == "CrashLoopBackOff");
        if (crashLooping)
        {
            _clear.TryAdd(app, DateTimeOffset.UtcNow);
        }
    }
}
