using System.Collections.Concurrent;
using IncidentResponder.Runtime.Informers;

namespace IncidentResponder.Runtime.Tests.Simulated;

/// <summary>Records an informer's events and replays them into a model of what the consumer believes exists.</summary>
internal sealed class InformerRecorder : IInformerEventHandler<PodSummary>
{
    public ConcurrentQueue<(string Kind, string Name, string? Rv)> Events { get; } = new();

    /// <summary>What a consumer that only saw the events would think the cluster holds.</summary>
    public ConcurrentDictionary<string, string?> Model { get; } = new();

    public ConcurrentBag<string> PhantomOrMissed { get; } = [];

    public void OnAdd(PodSummary obj, bool isInInitialList)
    {
        Events.Enqueue(("add", obj.Name, obj.ResourceVersion));
        if (!Model.TryAdd(obj.Name, obj.ResourceVersion))
        {
            PhantomOrMissed.Add($"add of {obj.Name} that was already known");
        }
    }

    public void OnUpdate(PodSummary oldObj, PodSummary newObj)
    {
        Events.Enqueue(("update", newObj.Name, newObj.ResourceVersion));
        if (!Model.TryGetValue(newObj.Name, out var known) || known != oldObj.ResourceVersion)
        {
            PhantomOrMissed.Add($"update of {newObj.Name} from {oldObj.ResourceVersion}, but consumer knew {known ?? "nothing"}");
        }

        Model[newObj.Name] = newObj.ResourceVersion;
    }

    public void OnDelete(PodSummary obj)
    {
        Events.Enqueue(("delete", obj.Name, obj.ResourceVersion));
        if (!Model.TryRemove(obj.Name, out _))
        {
            PhantomOrMissed.Add($"delete of {obj.Name} that was not known");
        }
    }
}
