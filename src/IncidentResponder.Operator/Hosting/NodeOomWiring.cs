using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Informers;

namespace IncidentResponder.Operator.Hosting;

/// <summary>
/// Feeds node-problem-detector's <c>OOMKilling</c> Node events into detection: one informer over core/v1 Events,
/// filtered by the API server (field selector). Detection wakes the Deployments whose pods run on the reported node.
/// </summary>
internal static class NodeOomWiring
{
    /// <summary>Both are selectable fields of core/v1 Events, so only kernel OOM reports on Nodes are sent.</summary>
    public const string OomEventsOnNodes = "involvedObject.kind=Node,reason=OOMKilling";

    /// <summary>
    /// The node-event informer. A Node has no namespace, and where its Events land depends on the recorder:
    /// client-go's recorders put them in "default", but node-problem-detector and other reporters may be configured to
    /// write elsewhere (kube-system, their own namespace). So an operator watching all namespaces reads them from all
    /// namespaces with one cluster-wide list/watch. An operator confined to some namespaces is granted Events only there
    /// (its rules are bound per namespace), so it reads the Node events recorded in those.
    /// </summary>
    public static NodeOomWindow Create(InformerFactory informers, OperatorOptions options)
    {
        IReadOnlyList<string?> namespaces = options.Namespaces.Count == 0 ? [null] : [.. options.Namespaces.Distinct(StringComparer.Ordinal)];
        var events = informers.CreateIn(namespaces, new InformerOptions { FieldSelector = OomEventsOnNodes },
            KubernetesSources.Events, CachedNodeOomEvent.Project, (CachedNodeOomEvent.ByNode, CachedNodeOomEvent.NodeIndex));
        return new NodeOomWindow(events.Members);
    }
}
