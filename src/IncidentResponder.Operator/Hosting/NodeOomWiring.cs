using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Informers;

namespace IncidentResponder.Operator.Hosting;

/// <summary>
/// Feeds node-problem-detector's <c>OOMKilling</c> Node events into detection: one informer over core/v1 Events,
/// filtered by the API server (field selector). Detection wakes the Deployments whose pods run on the reported node.
/// </summary>
internal static class NodeOomWiring
{
    /// <summary>
    /// Where Events about a Node are stored: a Node has no namespace, and the event recorders (client-go's record and
    /// events packages, which node-problem-detector uses) put events about cluster-scoped objects in "default".
    /// </summary>
    public const string NodeEventsNamespace = "default";

    /// <summary>Both are selectable fields of core/v1 Events, so only kernel OOM reports on Nodes are sent.</summary>
    public const string OomEventsOnNodes = "involvedObject.kind=Node,reason=OOMKilling";

    /// <summary>
    /// The node-event informer, when the operator may read Events in <see cref="NodeEventsNamespace"/>: it watches all
    /// namespaces, or that one among others. An operator confined to other namespaces has no grant there and goes
    /// without node events (detection still has the container statuses and the exit-137 fallback).
    /// </summary>
    public static NodeOomWindow Create(InformerFactory informers, OperatorOptions options)
    {
        if (options.Namespaces.Count > 0 && !options.Namespaces.Contains(NodeEventsNamespace, StringComparer.Ordinal))
        {
            return NodeOomWindow.None;
        }

        var events = informers.CreateIn([NodeEventsNamespace], new InformerOptions { FieldSelector = OomEventsOnNodes },
            KubernetesSources.Events, CachedNodeOomEvent.Project, (CachedNodeOomEvent.ByNode, CachedNodeOomEvent.NodeIndex));
        return new NodeOomWindow(events.Members);
    }
}
