using k8s;
using k8s.Models;

namespace IncidentResponder.Operator.Tests.Support;

/// <summary>
/// Plays node-problem-detector's kernel monitor for one Deployment's pods: every time a container of theirs terminates,
/// it records the Warning Event a real node would get for an OOM kill (involvedObject: the Node, reason OOMKilling,
/// source kernel-monitor, in namespace default unless told otherwise) with the kernel's report: the <c>oom-kill:</c> summary, whose memory
/// cgroup path names the pod's UID, and the "Memory cgroup out of memory: Killed process" line. The container status
/// itself is left as the simulated kubelet wrote it, so the node event is the only sign the kill was an OOM.
/// </summary>
internal sealed class KernelOomMonitor : IAsyncDisposable
{
    private readonly IKubernetes _client;
    private readonly string _app;
    private readonly string _eventsNamespace;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<(string Pod, string Container), int> _restarts = [];
    private readonly Task _loop;
    private int _reported;

    private KernelOomMonitor(IKubernetes client, string app, string eventsNamespace)
    {
        _client = client;
        _app = app;
        _eventsNamespace = eventsNamespace;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Events recorded so far.</summary>
    public int Reported => Volatile.Read(ref _reported);

    /// <summary>Starts reporting; <paramref name="eventsNamespace"/> is where the node's events are recorded.</summary>
    public static KernelOomMonitor Start(OperatorCluster cluster, string app, string eventsNamespace = "default") => new(cluster.Client, app, eventsNamespace);

    /// <summary>The kernel's two lines for a memory-cgroup OOM kill of <paramref name="process"/> in the pod's cgroup.</summary>
    public static string KernelReport(string podUid, string containerId, string process, int pid) =>
        $"oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset={containerId},mems_allowed=0," +
        $"oom_memcg=/kubepods/burstable/pod{podUid},task_memcg=/kubepods/burstable/pod{podUid}/{containerId},task={process},pid={pid},uid=0\n" +
        $"Memory cgroup out of memory: Killed process {pid} ({process}) total-vm:311296kB, anon-rss:131072kB, file-rss:2048kB, " +
        "shmem-rss:0kB, UID:0 pgtables:512kB oom_score_adj:999";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped on purpose.
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        // A watch ends at its server-side timeout; keep watching until stopped.
        while (!cancellationToken.IsCancellationRequested)
        {
            await foreach (var (type, pod) in _client.CoreV1.WatchListNamespacedPodAsync(OperatorCluster.Namespace, labelSelector: $"app={_app}",
                timeoutSeconds: 60, cancellationToken: cancellationToken))
            {
                if (type is WatchEventType.Added or WatchEventType.Modified)
                {
                    await ReportNewKillsAsync(pod, cancellationToken);
                }
            }
        }
    }

    private async Task ReportNewKillsAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        foreach (var status in pod.Status?.ContainerStatuses ?? [])
        {
            var key = (pod.Metadata.Name, status.Name);
            var known = _restarts.GetValueOrDefault(key);
            _restarts[key] = Math.Max(known, status.RestartCount);
            if (status.RestartCount <= known || status.LastState?.Terminated is not { } killed || pod.Spec.NodeName is not { } node)
            {
                continue;
            }

            var containerId = killed.ContainerID is { } id ? id[(id.IndexOf("://", StringComparison.Ordinal) + 3)..] : status.Name;
            var pid = 1000 + status.RestartCount;
            var at = killed.FinishedAt ?? DateTime.UtcNow;
            await _client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
            {
                Metadata = new V1ObjectMeta
                {
                    Name = $"{node}.{Guid.NewGuid():N}",
                    NamespaceProperty = _eventsNamespace,
                },
                InvolvedObject = new V1ObjectReference { Kind = "Node", Name = node, Uid = node },
                Type = "Warning",
                Reason = "OOMKilling",
                Message = KernelReport(pod.Metadata.Uid, containerId, status.Name, pid),
                Source = new V1EventSource { Component = "kernel-monitor", Host = node },
                FirstTimestamp = at,
                LastTimestamp = at,
                Count = 1,
            }, _eventsNamespace, cancellationToken: cancellationToken);
            Interlocked.Increment(ref _reported);
        }
    }
}
