using System.Text.Json.Nodes;

namespace IncidentResponder.Simulator.Storage;

/// <summary>
/// In-process access to the simulated cluster's storage. The HTTP API server is one client of it; the built-in
/// controllers (deployment, replicaset, kubelet, garbage collector) and the test hooks are the others.
/// Every write goes through the same rules as an HTTP write (resourceVersion, generation, uid, events to watchers).
/// </summary>
public interface IClusterStore
{
    /// <summary>The global resourceVersion: the version of the newest write.</summary>
    long ResourceVersion { get; }

    /// <summary>The clock every server-set timestamp comes from.</summary>
    TimeProvider Time { get; }

    /// <summary>Per-container logs that <c>GET pods/{name}/log</c> serves; the kubelet writes them.</summary>
    IContainerLogs Logs { get; }

    /// <summary>A copy of the stored object, or null.</summary>
    JsonObject? Get(ResourceType type, string? @namespace, string name);

    /// <summary>Copies of the stored objects of a type, in one namespace or (null) all.</summary>
    IReadOnlyList<JsonObject> List(ResourceType type, string? @namespace = null);

    /// <summary>Copies of the stored objects of a type whose labels match a selector (kube's query syntax, e.g. <c>app=web,tier in (a,b)</c>).</summary>
    IReadOnlyList<JsonObject> List(ResourceType type, string? @namespace, string labelSelector);

    /// <summary>Creates the object, filling server-set metadata. Throws <see cref="StoreException"/> (409 AlreadyExists, 422 Invalid).</summary>
    JsonObject Create(ResourceType type, JsonObject obj);

    /// <summary>
    /// Replaces the object. When <c>metadata.resourceVersion</c> is set it must match (else 409 Conflict).
    /// <paramref name="status"/> selects the status subresource: only <c>status</c> changes; otherwise status is kept.
    /// </summary>
    JsonObject Update(ResourceType type, JsonObject obj, bool status = false);

    /// <summary>Deletes the object (setting deletionTimestamp first when it has finalizers). Throws <see cref="StoreException"/> (404).</summary>
    void Delete(ResourceType type, string? @namespace, string name);

    /// <summary>Observes every change, in resourceVersion order, after it is committed.</summary>
    IDisposable Subscribe(Action<StoreEvent> onEvent);
}

/// <summary>A REST resource: group, version, plural resource name, kind, scope.</summary>
public sealed record ResourceType(string Group, string Version, string Resource, string Kind, bool Namespaced)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
}

/// <summary>What changed: ADDED, MODIFIED or DELETED, with the object after the change (before it, for DELETED).</summary>
public sealed record StoreEvent(StoreEventType Type, ResourceType Resource, JsonObject Object);

public enum StoreEventType
{
    Added,
    Modified,
    Deleted,
}

/// <summary>A storage error carrying the HTTP status and Kubernetes reason the API server returns for it.</summary>
public sealed class StoreException(int code, string reason, string message) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    /// <summary>The <c>details</c> of the Status object (name, group, kind, causes), when the error has them.</summary>
    public JsonObject? Details { get; init; }

    /// <summary>Seconds the client should wait before retrying (429/503), sent as <c>Retry-After</c>.</summary>
    public int? RetryAfterSeconds { get; init; }
}
