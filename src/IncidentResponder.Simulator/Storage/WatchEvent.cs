using System.Text;

namespace IncidentResponder.Simulator.Storage;

public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
}

/// <summary>
/// One committed change, kept in the history window and fanned out to watchers. Its wire frame
/// (<c>{"type":"MODIFIED","object":{...}}\n</c>) is serialized at most once per event type and shared by every
/// watcher, so fan-out costs no JSON work per watcher.
/// </summary>
public sealed class WatchEvent(WatchEventType type, StoredObject obj, StoredObject? previous)
{
    private static readonly byte[][] Prefixes =
    [
        Encoding.UTF8.GetBytes("{\"type\":\"ADDED\",\"object\":"),
        Encoding.UTF8.GetBytes("{\"type\":\"MODIFIED\",\"object\":"),
        Encoding.UTF8.GetBytes("{\"type\":\"DELETED\",\"object\":"),
    ];

    private readonly byte[]?[] _frames = new byte[3][];

    public WatchEventType Type { get; } = type;

    /// <summary>The object after the change; for DELETED, its last state with the deletion's resourceVersion.</summary>
    public StoredObject Object { get; } = obj;

    /// <summary>The object before the change (null for ADDED): selectors test it to turn leaving into DELETED.</summary>
    public StoredObject? Previous { get; } = previous;

    public long ResourceVersion => Object.ResourceVersion;

    /// <summary>The newline-terminated wire frame of this event delivered as <paramref name="asType"/>.</summary>
    public byte[] Frame(WatchEventType asType)
    {
        var index = (int)asType;
        var frame = Volatile.Read(ref _frames[index]);
        if (frame is not null)
        {
            return frame;
        }

        var prefix = Prefixes[index];
        var body = Object.Body;
        var head = Encoding.UTF8.GetBytes($"{{\"kind\":\"{Object.Type.Kind}\",\"apiVersion\":\"{Object.Type.ApiVersion}\",");
        frame = new byte[prefix.Length + head.Length + (body.Length - 1) + 2];
        var span = frame.AsSpan();
        prefix.CopyTo(span);
        head.CopyTo(span[prefix.Length..]);
        body.AsSpan(1).CopyTo(span[(prefix.Length + head.Length)..]);
        span[^2] = (byte)'}';
        span[^1] = (byte)'\n';
        Volatile.Write(ref _frames[index], frame);
        return frame;
    }
}
