using k8s.Models;

namespace IncidentResponder.Simulator.Kubelet;

/// <summary>The texts a containerd-based kubelet (and node-problem-detector) put in events and container states.</summary>
public static class KubeletMessages
{
    public static string Pulling(string image) => $"Pulling image \"{image}\"";

    public static string Pulled(string image, TimeSpan took, long size)
    {
        var duration = GoDuration.Format(took);
        return $"Successfully pulled image \"{image}\" in {duration} ({duration} including waiting). Image size: {size} bytes.";
    }

    public static string AlreadyPresent(string image) => $"Container image \"{image}\" already present on machine";

    public static string Created(string container) => $"Created container: {container}";

    public static string Started(string container) => $"Started container {container}";

    public static string Stopping(string container) => $"Stopping container {container}";

    /// <summary>containerd's error for a tag that does not exist, which is what a bad <c>kubectl set image</c> meets.</summary>
    public static string PullError(string image)
    {
        var normalized = ContainerIdentity.NormalizeImage(image);
        return $"rpc error: code = NotFound desc = failed to pull and unpack image \"{normalized}\": failed to resolve reference \"{normalized}\": {normalized}: not found";
    }

    public static string FailedToPull(string image) => $"Failed to pull image \"{image}\": {PullError(image)}";

    public static string BackOffPulling(string image) => $"Back-off pulling image \"{image}\"";

    public static string BackOffRestarting(string container, V1Pod pod) =>
        $"Back-off restarting failed container {container} in pod {PodRef(pod)}";

    /// <summary>The CrashLoopBackOff waiting message: <c>back-off 40s restarting failed container=app pod=web-x_default(uid)</c>.</summary>
    public static string CrashLoopWaiting(string container, V1Pod pod, TimeSpan backOff) =>
        $"back-off {GoDuration.Format(backOff)} restarting failed container={container} pod={PodRef(pod)}";

    public static string ReadinessFailed(V1Probe? probe, string podIp) => probe switch
    {
        { HttpGet: not null } => "Readiness probe failed: HTTP probe failed with statuscode: 503",
        { TcpSocket: { } tcp } => $"Readiness probe failed: dial tcp {podIp}:{tcp.Port?.Value}: connect: connection refused",
        { Exec: not null } => "Readiness probe failed: command exited with non-zero status 1",
        { Grpc: not null } => "Readiness probe failed: service unhealthy (responded with \"NOT_SERVING\")",
        _ => "Readiness probe failed: HTTP probe failed with statuscode: 503",
    };

    /// <summary>The kernel line node-problem-detector copies into the OOMKilling event.</summary>
    public static string KernelOomKill(int pid, string process, long limitKb) =>
        $"Memory cgroup out of memory: Killed process {pid} ({process}) total-vm:{limitKb + 180_224}kB, anon-rss:{limitKb}kB, file-rss:{limitKb / 64}kB, shmem-rss:0kB, UID:0 pgtables:{Math.Max(512, limitKb / 256)}kB oom_score_adj:{(limitKb > 0 ? 999 : 1000)}";

    public static string SystemOom(int pid, string process) => $"System OOM encountered, victim process: {process}, pid: {pid}";

    private static string PodRef(V1Pod pod) => $"{pod.Metadata.Name}_{pod.Metadata.NamespaceProperty}({pod.Metadata.Uid})";
}
