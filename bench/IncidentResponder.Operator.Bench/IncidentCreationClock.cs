using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Operator.Bench;

/// <summary>
/// When each Incident was created at the API server. The audit log cannot say: a create is a POST to the collection,
/// so its record names no object. This is the last admission step of the simulated API server instead: the store
/// commits a create right after its admission steps, under the same lock, so the time taken here is the commit time
/// to within microseconds (the 201 answer follows it).
/// </summary>
internal sealed class IncidentCreationClock : IAdmissionStep
{
    private readonly ConcurrentDictionary<(string Namespace, string Name), DateTimeOffset> _created = new();

    public IReadOnlyDictionary<(string Namespace, string Name), DateTimeOffset> Created => _created;

    public void Admit(AdmissionContext context, JsonObject obj, JsonObject? old)
    {
        if (context.Operation != AdmissionOperation.Create || context.Options.DryRun || context.Definition.Type.Resource != Incident.Plural)
        {
            return;
        }

        var meta = obj["metadata"]!.AsObject();
        _created.TryAdd((WorkloadObjects.Str(meta, "namespace"), WorkloadObjects.Str(meta, "name")), DateTimeOffset.UtcNow);
    }
}
