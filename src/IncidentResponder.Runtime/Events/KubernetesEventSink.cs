using k8s;
using k8s.Models;

namespace IncidentResponder.Runtime.Events;

/// <summary>Writes events.k8s.io/v1 Events through KubernetesClient.</summary>
public sealed class KubernetesEventSink(IKubernetes client) : IEventSink
{
    public Task<Eventsv1Event> CreateAsync(Eventsv1Event ev, CancellationToken cancellationToken) =>
        client.EventsV1.CreateNamespacedEventAsync(ev, ev.Metadata.NamespaceProperty, cancellationToken: cancellationToken);

    public Task PatchAsync(string ns, string name, string mergePatchJson, CancellationToken cancellationToken) =>
        client.EventsV1.PatchNamespacedEventAsync(new V1Patch(mergePatchJson, V1Patch.PatchType.MergePatch), name, ns, cancellationToken: cancellationToken);
}
