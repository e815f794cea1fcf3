using IncidentResponder.Simulator.Controllers;
using k8s.Models;

namespace IncidentResponder.Simulator.Kubelet;

/// <summary>What each container transition does: start or fail the pull, crash (OOM or error) and back off, with the events and log lines each emits.</summary>
public sealed partial class PodLifecycle
{
    private ContainerMemory Transition(ContainerMemory container, DateTimeOffset at)
    {
        var spec = Spec(container.Name);
        switch (container.Phase)
        {
            case ContainerPhase.Creating:
                return StartOrFailPull(container, at, isRestart: false);

            case ContainerPhase.PullFailed:
                Emit(container.Name, "Normal", "BackOff", KubeletMessages.BackOffPulling(spec.Image), at);
                Emit(container.Name, "Warning", "Failed", "Error: ImagePullBackOff", at);
                var pullBackOff = _settings.PullBackOff(container.PullAttempts);
                return container with { Phase = ContainerPhase.PullBackOff, Since = at, Until = at + _settings.Scaled(pullBackOff), BackOff = pullBackOff };

            case ContainerPhase.PullBackOff:
                return StartOrFailPull(container, at, isRestart: container.HasRun);

            case ContainerPhase.CrashBackOff:
                return StartOrFailPull(container, at, isRestart: true);

            case ContainerPhase.Running when CrashTime(container) == at:
                return Crash(container, at);

            case ContainerPhase.Running when CompletionTime(container) == at:
                return Complete(container, at);

            case ContainerPhase.Running when PullKillTime(container) == at:
                Emit(container.Name, "Normal", "Killing", KubeletMessages.Stopping(container.Name), at);
                var killed = Terminated(container, at, exitCode: 137, reason: "Error");
                return FailPull(container with { LastTermination = killed, StartedAt = null, ImagePresent = false }, at);

            case ContainerPhase.Running:
                Emit(container.Name, "Warning", "Unhealthy", KubeletMessages.ReadinessFailed(spec.ReadinessProbe, PodIp), at);
                Log(container.Name, ContainerLogLines.Unready(at));
                return container with { LastProbeFailure = at };

            default:
                return container;
        }
    }

    private ContainerMemory StartOrFailPull(ContainerMemory container, DateTimeOffset at, bool isRestart)
    {
        if (_memory.IsFaultActive(FaultKind.ImagePull, at, _settings))
        {
            return FailPull(container with { ImagePresent = false }, at);
        }

        var spec = Spec(container.Name);
        if (container.ImagePresent && spec.ImagePullPolicy != "Always")
        {
            Emit(container.Name, "Normal", "Pulled", KubeletMessages.AlreadyPresent(spec.Image), at);
        }
        else
        {
            var took = _settings.Scaled(_settings.StartupDelay) / 2;
            Emit(container.Name, "Normal", "Pulling", KubeletMessages.Pulling(spec.Image), at);
            Emit(container.Name, "Normal", "Pulled", KubeletMessages.Pulled(spec.Image, TimeSpan.FromMilliseconds(Math.Round(took.TotalMilliseconds)), ContainerIdentity.ImageSize(spec.Image)), at);
        }

        Emit(container.Name, "Normal", "Created", KubeletMessages.Created(container.Name), at);
        Emit(container.Name, "Normal", "Started", KubeletMessages.Started(container.Name), at);
        if (isRestart)
        {
            _writes.Add(new RotateLog(_pod.Metadata.NamespaceProperty, _pod.Metadata.Name, container.Name));
        }

        foreach (var line in ContainerLogLines.Startup(container.Name, spec.Image, at))
        {
            Log(container.Name, line);
        }

        return container with
        {
            Phase = ContainerPhase.Running,
            Since = at,
            Until = null,
            StartedAt = at,
            ImagePresent = true,
            PullAttempts = 0,
            Instances = container.Instances + 1,
            RestartCount = isRestart ? container.RestartCount + 1 : container.RestartCount,
            LastProbeFailure = null,
        };
    }

    private ContainerMemory FailPull(ContainerMemory container, DateTimeOffset at)
    {
        var image = Spec(container.Name).Image;
        Emit(container.Name, "Normal", "Pulling", KubeletMessages.Pulling(image), at);
        Emit(container.Name, "Warning", "Failed", KubeletMessages.FailedToPull(image), at);
        Emit(container.Name, "Warning", "Failed", "Error: ErrImagePull", at);
        return container with { Phase = ContainerPhase.PullFailed, Since = at, Until = null, PullAttempts = container.PullAttempts + 1 };
    }

    private ContainerMemory Crash(ContainerMemory container, DateTimeOffset at)
    {
        var oom = _memory.Fault.Kind == FaultKind.Oom;
        var limitBytes = MemoryLimitBytes(container.Name);
        foreach (var line in oom ? ContainerLogLines.BeforeOom(at, limitBytes) : ContainerLogLines.Crash(at))
        {
            Log(container.Name, line);
        }

        var termination = oom
            ? Terminated(container, at, exitCode: 137, reason: "OOMKilled")
            : Terminated(container, at, exitCode: 1, reason: "Error");
        if (oom)
        {
            EmitOomOnNode(container, at, limitBytes);
        }

        var crashed = container with { LastTermination = termination, LastProbeFailure = null };
        if (_pod.Spec.RestartPolicy == "Never")
        {
            return crashed with { Phase = ContainerPhase.Exited, Since = at, StartedAt = null };
        }

        var backOff = _settings.CrashBackOff(container.RestartCount);
        if (backOff == TimeSpan.Zero)
        {
            // The kubelet restarts a container at once after its first crash; back-off starts with the second.
            return StartOrFailPull(crashed, at, isRestart: true);
        }

        Emit(container.Name, "Warning", "BackOff", KubeletMessages.BackOffRestarting(container.Name, _pod), at);
        return crashed with { Phase = ContainerPhase.CrashBackOff, Since = at, Until = at + _settings.Scaled(backOff), BackOff = backOff, StartedAt = null };
    }

    /// <summary>
    /// The process finished its work and exited 0: with restartPolicy Never or OnFailure it stays terminated
    /// (Completed), with Always the kubelet starts it again as it would any exit.
    /// </summary>
    private ContainerMemory Complete(ContainerMemory container, DateTimeOffset at)
    {
        Log(container.Name, ContainerLogLines.Completed(at));
        var done = container with { LastTermination = Terminated(container, at, exitCode: 0, reason: "Completed"), LastProbeFailure = null };
        return _pod.Spec.RestartPolicy is "Never" or "OnFailure"
            ? done with { Phase = ContainerPhase.Exited, Since = at, StartedAt = null }
            : StartOrFailPull(done, at, isRestart: true);
    }

    /// <summary>
    /// OOM kills are reported against the Node, not the Pod: node-problem-detector's kernel monitor emits OOMKilling
    /// (involvedObject uid = node name, so the event lands in namespace default) and the kubelet emits SystemOOM.
    /// </summary>
    private void EmitOomOnNode(ContainerMemory container, DateTimeOffset at, long limitBytes)
    {
        var pid = 1000 + (int)(PodTemplateHash.Fnv1a32(System.Text.Encoding.UTF8.GetBytes($"{_pod.Metadata.Uid}/{container.Instances}"), 2166136261u) % 60000);
        var process = Spec(container.Name).Command?.FirstOrDefault() is { Length: > 0 } command
            ? command[(command.LastIndexOf('/') + 1)..]
            : container.Name;
        var node = new V1ObjectReference { Kind = "Node", Name = NodeName, Uid = NodeName, NamespaceProperty = "" };
        _writes.Add(new RecordEvent(new EventSpec(node, "Warning", "OOMKilling",
            KubeletMessages.KernelOomKill(pid, process, limitBytes / 1024), "kernel-monitor", NodeName, at)));
        _writes.Add(new RecordEvent(new EventSpec(node, "Warning", "SystemOOM",
            KubeletMessages.SystemOom(pid, process), Component, NodeName, at)));
    }

    private V1ContainerStateTerminated Terminated(ContainerMemory container, DateTimeOffset at, int exitCode, string reason) => new()
    {
        ExitCode = exitCode,
        Reason = reason,
        StartedAt = container.StartedAt is { } started ? KubeObjects.Seconds(started) : null,
        FinishedAt = KubeObjects.Seconds(at),
        ContainerID = ContainerIdentity.ContainerId(_pod.Metadata.Uid, container.Name, container.Instances),
    };

    private long MemoryLimitBytes(string container) =>
        Spec(container).Resources?.Limits is { } limits && limits.TryGetValue("memory", out var quantity)
            ? (long)quantity.ToDecimal()
            : 0;
}
