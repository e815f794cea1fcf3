using IncidentResponder.Simulator.Storage;
using k8s;
using k8s.Models;

namespace IncidentResponder.Simulator.Controllers;

/// <summary>
/// One write a reconcile function intends. Reconcilers are pure: they return these instead of calling the store, so
/// tests can assert on exactly what a controller would do, and the host alone deals with conflicts and retries.
/// </summary>
public abstract record ControllerWrite;

/// <summary>Create the object (its <c>metadata.name</c> is chosen by the controller).</summary>
public sealed record CreateObject(ResourceType Type, IKubernetesObject<V1ObjectMeta> Object) : ControllerWrite;

/// <summary>Replace the object's metadata and spec; conditional on its <c>metadata.resourceVersion</c>.</summary>
public sealed record UpdateObject(ResourceType Type, IKubernetesObject<V1ObjectMeta> Object) : ControllerWrite;

/// <summary>Replace the object's status through the status subresource; conditional on its resourceVersion.</summary>
public sealed record UpdateStatus(ResourceType Type, IKubernetesObject<V1ObjectMeta> Object) : ControllerWrite;

/// <summary>Delete the object.</summary>
public sealed record DeleteObject(ResourceType Type, string? Namespace, string Name) : ControllerWrite;

/// <summary>Record a core/v1 Event (the host aggregates repeats into <c>count</c>, as client-go's recorder does).</summary>
public sealed record RecordEvent(EventSpec Event) : ControllerWrite;

/// <summary>What an event recorder is asked to record, before naming and aggregation.</summary>
/// <param name="InvolvedObject">The object the event is about (kind, namespace, name, uid, apiVersion, fieldPath).</param>
/// <param name="Type"><c>Normal</c> or <c>Warning</c>.</param>
/// <param name="Reason">Short CamelCase reason, e.g. <c>ScalingReplicaSet</c>.</param>
/// <param name="Message">Human readable message.</param>
/// <param name="Component"><c>source.component</c>, e.g. <c>deployment-controller</c>.</param>
/// <param name="Host"><c>source.host</c> (the node, for kubelet events), or null.</param>
/// <param name="Timestamp">When it happened.</param>
public sealed record EventSpec(
    V1ObjectReference InvolvedObject,
    string Type,
    string Reason,
    string Message,
    string Component,
    string? Host,
    DateTimeOffset Timestamp);

/// <summary>Append a line to the current instance of a container's log.</summary>
public sealed record AppendLog(string Namespace, string Pod, string Container, string Line) : ControllerWrite;

/// <summary>A container restarted: its current log becomes the previous one (what <c>kubectl logs --previous</c> reads).</summary>
public sealed record RotateLog(string Namespace, string Pod, string Container) : ControllerWrite;
