using System.Collections.Concurrent;

namespace IncidentResponder.Simulator.Storage;

/// <summary>The logs of every container, current and previous instance, as the kubelet would keep them on the node.</summary>
public interface IContainerLogs
{
    /// <summary>Appends a line to the current instance of a container's log.</summary>
    void Append(string @namespace, string pod, string container, string line);

    /// <summary>The container restarted: its current log becomes the previous one (what <c>--previous</c> shows) and a new one starts.</summary>
    void Restart(string @namespace, string pod, string container);

    /// <summary>The lines of the current (or previous) instance, the last <paramref name="tailLines"/> when set; null when there is no such log.</summary>
    IReadOnlyList<string>? Read(string @namespace, string pod, string container, bool previous, int? tailLines);

    /// <summary>Forgets every log of a pod (it was deleted).</summary>
    void RemovePod(string @namespace, string pod);
}

/// <summary>In-memory <see cref="IContainerLogs"/>, bounded per container so a crash-looping pod cannot grow without limit.</summary>
public sealed class ContainerLogs(int maxLinesPerContainer = 10_000) : IContainerLogs
{
    private sealed class ContainerLog
    {
        public List<string> Current { get; set; } = [];

        public List<string>? Previous { get; set; }
    }

    private readonly ConcurrentDictionary<(string Namespace, string Pod, string Container), ContainerLog> _logs = new();

    public void Append(string @namespace, string pod, string container, string line)
    {
        var log = _logs.GetOrAdd((@namespace, pod, container), _ => new ContainerLog());
        lock (log)
        {
            log.Current.Add(line);
            if (log.Current.Count > maxLinesPerContainer)
            {
                log.Current.RemoveRange(0, log.Current.Count - maxLinesPerContainer);
            }
        }
    }

    public void Restart(string @namespace, string pod, string container)
    {
        var log = _logs.GetOrAdd((@namespace, pod, container), _ => new ContainerLog());
        lock (log)
        {
            log.Previous = log.Current;
            log.Current = [];
        }
    }

    public IReadOnlyList<string>? Read(string @namespace, string pod, string container, bool previous, int? tailLines)
    {
        if (!_logs.TryGetValue((@namespace, pod, container), out var log))
        {
            return null;
        }

        lock (log)
        {
            var lines = previous ? log.Previous : log.Current;
            if (lines is null)
            {
                return null;
            }

            var skip = tailLines is { } tail ? Math.Max(0, lines.Count - tail) : 0;
            return lines.Skip(skip).ToList();
        }
    }

    public void RemovePod(string @namespace, string pod)
    {
        foreach (var key in _logs.Keys.Where(k => k.Namespace == @namespace && k.Pod == pod))
        {
            _logs.TryRemove(key, out _);
        }
    }
}
