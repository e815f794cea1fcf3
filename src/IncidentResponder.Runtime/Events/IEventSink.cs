using k8s.Models;

namespace IncidentResponder.Runtime.Events;

/// <summary>Where events go: the API server in production, a list in tests.</summary>
public interface IEventSink
{
    Task<Eventsv1Event> CreateAsync(Eventsv1Event ev, CancellationToken cancellationToken);

    Task PatchAsync(string ns, string name, string mergePatchJson, CancellationToken cancellationToken);
}
