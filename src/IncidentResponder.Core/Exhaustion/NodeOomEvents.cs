using System.Globalization;
using System.Text.RegularExpressions;

namespace IncidentResponder.Core.Exhaustion;

/// <summary>
/// An <c>OOMKilling</c> Event on a Node, as node-problem-detector's kernel monitor writes it (involvedObject: the
/// Node, message: the kernel's OOM line). The shell passes the raw message; <see cref="NodeOomMessage.Parse"/> reads it.
/// </summary>
/// <param name="Time">The event's lastTimestamp (or eventTime).</param>
public sealed record NodeOomEvent(string Node, DateTimeOffset Time, string Message);

/// <summary>What one kernel OOM line says about its victim. Every part is optional: kernels and monitors differ.</summary>
/// <param name="PodUid">The pod UID from a kubepods memory-cgroup path (cgroupfs or systemd naming), dashes restored.</param>
/// <param name="PodName">The pod, when a monitor adds it (e.g. "pod: web-1" or "pod=web-1").</param>
public sealed record OomKillReport(int? Pid, string? Process, string? PodUid, string? PodName, string? PodNamespace);

/// <summary>
/// Parses the kernel's OOM-kill lines that node-problem-detector forwards, e.g.
/// "Memory cgroup out of memory: Killed process 3504804 (kubectl) total-vm:753508kB, anon-rss:58776kB, ..." (the
/// kernel names no pod), the older "Memory cgroup out of memory: Kill process 25169 (hyperkube) score 2109 or
/// sacrifice child", and the "oom-kill:constraint=CONSTRAINT_MEMCG,...,task_memcg=/kubepods/burstable/pod&lt;uid&gt;/...,
/// task=stress,pid=1234" summary line, whose cgroup path does name the pod.
/// </summary>
public static partial class NodeOomMessage
{
    [GeneratedRegex(@"\bKill(?:ed)? process (?<pid>\d+) \((?<name>[^)]*)\)", RegexOptions.CultureInvariant)]
    private static partial Regex KilledProcess();

    [GeneratedRegex(@"\btask=(?<name>[^,\s]+)", RegexOptions.CultureInvariant)]
    private static partial Regex TaskName();

    [GeneratedRegex(@"\bpid=(?<pid>\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex TaskPid();

    // cgroupfs: /kubepods/burstable/pod5d1c0e2a-6f1e-4a5b-9c3d-0123456789ab/<container>
    // systemd:  /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod5d1c0e2a_6f1e_4a5b_9c3d_0123456789ab.slice/...
    [GeneratedRegex(@"pod(?<uid>[0-9a-fA-F]{8}[-_][0-9a-fA-F]{4}[-_][0-9a-fA-F]{4}[-_][0-9a-fA-F]{4}[-_][0-9a-fA-F]{12})", RegexOptions.CultureInvariant)]
    private static partial Regex PodUid();

    [GeneratedRegex(@"\bpod\s*[:=]\s*(?<name>[a-z0-9]([-a-z0-9.]*[a-z0-9])?)", RegexOptions.CultureInvariant)]
    private static partial Regex PodName();

    [GeneratedRegex(@"\bnamespace\s*[:=]\s*(?<name>[a-z0-9]([-a-z0-9]*[a-z0-9])?)", RegexOptions.CultureInvariant)]
    private static partial Regex PodNamespace();

    /// <summary>The report, or null when the message is not an OOM kill at all.</summary>
    public static OomKillReport? Parse(string? message)
    {
        if (string.IsNullOrWhiteSpace(message)
            || (!message.Contains("out of memory", StringComparison.OrdinalIgnoreCase) && !message.Contains("oom-kill", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        var killed = KilledProcess().Match(message);
        var task = TaskName().Match(message);
        var pid = killed.Success ? killed.Groups["pid"].Value : TaskPid().Match(message) is { Success: true } p ? p.Groups["pid"].Value : null;
        var uid = PodUid().Match(message);
        var pod = PodName().Match(message);
        var ns = PodNamespace().Match(message);
        return new OomKillReport(
            pid is null ? null : int.Parse(pid, CultureInfo.InvariantCulture),
            killed.Success ? killed.Groups["name"].Value : task.Success ? task.Groups["name"].Value : null,
            uid.Success ? uid.Groups["uid"].Value.Replace('_', '-').ToLowerInvariant() : null,
            pod.Success ? pod.Groups["name"].Value : null,
            ns.Success ? ns.Groups["name"].Value : null);
    }
}
