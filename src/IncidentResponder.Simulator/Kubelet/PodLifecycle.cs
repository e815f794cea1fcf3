using System.Globalization;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.Storage;
using k8s.Models;

namespace IncidentResponder.Simulator.Kubelet;

/// <summary>
/// The simulated kubelet's pod sync as a pure function: it replays every container transition due by
/// <c>now</c> (start, crash, back-off, pull failure, probe failure), emitting the events and log lines each one would
/// produce at the moment it happened, then projects the pod status a real kubelet would report.
/// </summary>
public sealed class PodLifecycle
{
    public const string Component = "kubelet";

    private readonly V1Pod _pod;
    private readonly V1Node? _node;
    private readonly KubeletSettings _settings;
    private readonly List<ControllerWrite> _writes = [];
    private PodMemory _memory;

    private PodLifecycle(V1Pod pod, V1Node? node, PodMemory memory, KubeletSettings settings)
    {
        _pod = pod;
        _node = node;
        _memory = memory;
        _settings = settings;
    }

    private string NodeName => _pod.Spec.NodeName;

    private string PodIp => ContainerIdentity.PodIp(_node?.Spec?.PodCIDR, _pod.Metadata.Uid);

    /// <summary>Syncs a scheduled pod. <paramref name="memory"/> is null the first time the kubelet sees it.</summary>
    public static PodSync Advance(V1Pod pod, V1Node? node, PodMemory? memory, DateTimeOffset now, KubeletSettings settings)
    {
        var sync = new PodLifecycle(pod, node, memory ?? Initial(pod, now), settings);
        sync.ObserveFault(now);
        sync.ReplayTransitions(now);
        sync.WriteStatus(now);
        return new PodSync(sync._memory, sync._writes, sync.NextWake(now));
    }

    /// <summary>The pod is being deleted: stop its containers and remove it, as the kubelet does after the grace period.</summary>
    public static IReadOnlyList<ControllerWrite> Terminate(V1Pod pod, PodMemory? memory, DateTimeOffset now)
    {
        var writes = new List<ControllerWrite>();
        foreach (var container in memory?.Containers ?? [])
        {
            if (container.Phase == ContainerPhase.Running)
            {
                writes.Add(PodEvent(pod, container.Name, "Normal", "Killing", KubeletMessages.Stopping(container.Name), now));
            }
        }

        writes.Add(new DeleteObject(BuiltinResources.Pods, pod.Metadata.NamespaceProperty, pod.Metadata.Name));
        return writes;
    }

    /// <summary>First sight of a pod; a pod that already reports running containers (a simulator restart) resumes them.</summary>
    public static PodMemory Initial(V1Pod pod, DateTimeOffset now)
    {
        var statuses = pod.Status?.ContainerStatuses ?? [];
        var containers = pod.Spec.Containers.Select(container =>
        {
            var status = statuses.FirstOrDefault(s => s.Name == container.Name);
            if (status?.State?.Running?.StartedAt is { } started)
            {
                return new ContainerMemory
                {
                    Name = container.Name, Phase = ContainerPhase.Running, Since = KubeObjects.Utc(started), StartedAt = KubeObjects.Utc(started),
                    RestartCount = status.RestartCount, ImagePresent = true, Instances = status.RestartCount + 1,
                    LastTermination = status.LastState?.Terminated,
                };
            }

            return new ContainerMemory { Name = container.Name, Phase = ContainerPhase.Creating, Since = now, RestartCount = status?.RestartCount ?? 0 };
        }).ToList();
        return new PodMemory { ScheduledAt = now, Fault = FaultSpec.None, FaultSeenAt = now, Containers = containers };
    }

    private void ObserveFault(DateTimeOffset now)
    {
        var fault = FaultSpec.FromPod(_pod);
        if (fault != _memory.Fault)
        {
            _memory = _memory with { Fault = fault, FaultSeenAt = now };
        }
    }

    private void ReplayTransitions(DateTimeOffset now)
    {
        // Bounded: even a long pause only replays capped back-offs, but never let a bug spin forever.
        for (var step = 0; step < 10_000; step++)
        {
            var due = _memory.Containers
                .Select((container, index) => (Index: index, At: NextTransition(container)))
                .Where(candidate => candidate.At is { } at && at <= now)
                .OrderBy(candidate => candidate.At)
                .FirstOrDefault();
            if (due.At is not { } when)
            {
                return;
            }

            var containers = _memory.Containers.ToList();
            containers[due.Index] = Transition(containers[due.Index], when);
            _memory = _memory with { Containers = containers };
        }
    }

    private DateTimeOffset? NextTransition(ContainerMemory container)
    {
        switch (container.Phase)
        {
            case ContainerPhase.Creating:
                return container.Since + _settings.Scaled(_settings.StartupDelay);
            case ContainerPhase.PullFailed:
                return container.Since + _settings.Scaled(_settings.PullErrorToBackOff);
            case ContainerPhase.PullBackOff:
            case ContainerPhase.CrashBackOff:
                return container.Until;
            case ContainerPhase.Running:
                return new[] { CrashTime(container), PullKillTime(container), NextProbeFailure(container) }.Min();
            default:
                return null;
        }
    }

    private DateTimeOffset? CrashTime(ContainerMemory container)
    {
        if (_memory.Fault.Kind is not (FaultKind.CrashLoop or FaultKind.Oom) || _memory.FaultActiveAt(_settings) is not { } active)
        {
            return null;
        }

        var earliest = container.StartedAt!.Value + _settings.Scaled(_settings.CrashAfter);
        return active > earliest ? active : earliest;
    }

    /// <summary>An imagepull fault on a running container: the runtime loses the image and the restart's pull fails.</summary>
    private DateTimeOffset? PullKillTime(ContainerMemory container)
    {
        if (_memory.Fault.Kind != FaultKind.ImagePull || _memory.FaultActiveAt(_settings) is not { } active)
        {
            return null;
        }

        return active > container.StartedAt!.Value ? active : container.StartedAt.Value;
    }

    private DateTimeOffset? NextProbeFailure(ContainerMemory container)
    {
        if (_memory.Fault.Kind != FaultKind.Unready || _memory.FaultActiveAt(_settings) is not { } active)
        {
            return null;
        }

        if (container.LastProbeFailure is { } last)
        {
            return last + _settings.Scaled(ProbePeriod(container.Name));
        }

        var readyAt = container.StartedAt!.Value + ReadinessDelay(container.Name);
        return active > readyAt ? active : readyAt;
    }

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

    private bool IsReady(ContainerMemory container, DateTimeOffset now) =>
        container.Phase == ContainerPhase.Running
        && !_memory.IsFaultActive(FaultKind.Unready, now, _settings)
        && now >= container.StartedAt!.Value + ReadinessDelay(container.Name);

    private TimeSpan ReadinessDelay(string container) =>
        Spec(container).ReadinessProbe is { } probe ? _settings.Scaled(TimeSpan.FromSeconds(probe.InitialDelaySeconds ?? 0)) : TimeSpan.Zero;

    private TimeSpan ProbePeriod(string container) =>
        Spec(container).ReadinessProbe?.PeriodSeconds is { } period ? TimeSpan.FromSeconds(period) : _settings.DefaultProbePeriod;

    private DateTimeOffset? NextWake(DateTimeOffset now)
    {
        var candidates = new List<DateTimeOffset?>();
        foreach (var container in _memory.Containers)
        {
            candidates.Add(NextTransition(container));
            if (container.Phase == ContainerPhase.Running)
            {
                candidates.Add(container.StartedAt!.Value + ReadinessDelay(container.Name));
            }
        }

        candidates.Add(_memory.FaultActiveAt(_settings));
        return candidates.Where(at => at is { } time && time > now).Min();
    }

    private void WriteStatus(DateTimeOffset now)
    {
        var status = ProjectStatus(now);
        if (JsonNode.DeepEquals(KubeObjects.ToJson(status), KubeObjects.ToJson(_pod.Status ?? new V1PodStatus())))
        {
            return;
        }

        var updated = KubeObjects.Clone(_pod);
        updated.Status = status;
        _writes.Insert(0, new UpdateStatus(BuiltinResources.Pods, updated));
    }

    private V1PodStatus ProjectStatus(DateTimeOffset now)
    {
        var statuses = _memory.Containers.Select(container => ContainerStatus(container, now)).ToList();
        var unready = statuses.Where(status => !status.Ready).Select(status => status.Name).ToList();
        var scheduledAt = KubeObjects.Seconds(_memory.ScheduledAt);
        var conditions = new List<V1PodCondition>
        {
            Condition("PodReadyToStartContainers", "True", scheduledAt),
            Condition("Initialized", "True", scheduledAt),
            ReadinessCondition("Ready", unready, now),
            ReadinessCondition("ContainersReady", unready, now),
            PodConditions.Find(_pod, "PodScheduled") ?? Condition("PodScheduled", "True", scheduledAt),
        };
        return new V1PodStatus
        {
            Phase = Phase(),
            Conditions = conditions,
            HostIP = NodeIp,
            HostIPs = NodeIp is null ? null : [new V1HostIP { Ip = NodeIp }],
            PodIP = PodIp,
            PodIPs = [new V1PodIP { Ip = PodIp }],
            StartTime = scheduledAt,
            ContainerStatuses = statuses,
            QosClass = QosClass(),
        };
    }

    private string? NodeIp => _node?.Status?.Addresses?.FirstOrDefault(address => address.Type == "InternalIP")?.Address;

    private string Phase()
    {
        var containers = _memory.Containers;
        if (containers.All(container => container.Phase == ContainerPhase.Exited))
        {
            return containers.All(container => container.LastTermination?.ExitCode == 0) ? "Succeeded" : "Failed";
        }

        return containers.Any(container => !container.HasRun) ? "Pending" : "Running";
    }

    private V1ContainerStatus ContainerStatus(ContainerMemory container, DateTimeOffset now)
    {
        var spec = Spec(container.Name);
        var ready = IsReady(container, now);
        var state = container.Phase switch
        {
            ContainerPhase.Creating => Waiting("ContainerCreating", null),
            ContainerPhase.PullFailed => Waiting("ErrImagePull", KubeletMessages.PullError(spec.Image)),
            ContainerPhase.PullBackOff => Waiting("ImagePullBackOff", KubeletMessages.BackOffPulling(spec.Image)),
            ContainerPhase.CrashBackOff => Waiting("CrashLoopBackOff", KubeletMessages.CrashLoopWaiting(container.Name, _pod, container.BackOff)),
            ContainerPhase.Exited => new V1ContainerState { Terminated = container.LastTermination },
            _ => new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = KubeObjects.Seconds(container.StartedAt!.Value) } },
        };
        return new V1ContainerStatus
        {
            Name = container.Name,
            State = state,
            LastState = container.Phase != ContainerPhase.Exited && container.LastTermination is { } last
                ? new V1ContainerState { Terminated = last }
                : new V1ContainerState(),
            Ready = ready,
            RestartCount = container.RestartCount,
            Image = container.ImagePresent || container.HasRun ? ContainerIdentity.NormalizeImage(spec.Image) : spec.Image,
            ImageID = container.ImagePresent ? ContainerIdentity.ImageId(spec.Image) : "",
            ContainerID = container.Instances > 0 ? ContainerIdentity.ContainerId(_pod.Metadata.Uid, container.Name, container.Instances) : null,
            Started = container.Phase == ContainerPhase.Running,
        };
    }

    private static V1ContainerState Waiting(string reason, string? message) =>
        new() { Waiting = new V1ContainerStateWaiting { Reason = reason, Message = message } };

    /// <summary>Ready/ContainersReady keep their lastTransitionTime while their status does not change.</summary>
    private V1PodCondition ReadinessCondition(string type, List<string> unready, DateTimeOffset now)
    {
        var status = unready.Count == 0 ? "True" : "False";
        var previous = PodConditions.Find(_pod, type);
        var since = previous?.Status == status && previous.LastTransitionTime is { } kept ? kept : KubeObjects.Seconds(now);
        var condition = Condition(type, status, since);
        if (unready.Count > 0)
        {
            condition.Reason = "ContainersNotReady";
            condition.Message = $"containers with unready status: [{string.Join(' ', unready)}]";
        }

        return condition;
    }

    private static V1PodCondition Condition(string type, string status, DateTime since) =>
        new() { Type = type, Status = status, LastTransitionTime = since, LastProbeTime = null };

    private string QosClass()
    {
        var resources = _pod.Spec.Containers.Select(container => container.Resources).ToList();
        if (resources.All(r => (r?.Requests?.Count ?? 0) == 0 && (r?.Limits?.Count ?? 0) == 0))
        {
            return "BestEffort";
        }

        var guaranteed = resources.All(r =>
            r?.Limits is { } limits && limits.ContainsKey("cpu") && limits.ContainsKey("memory")
            && (r.Requests is null || r.Requests.All(request => limits.TryGetValue(request.Key, out var limit) && limit == request.Value)));
        return guaranteed ? "Guaranteed" : "Burstable";
    }

    private long MemoryLimitBytes(string container) =>
        Spec(container).Resources?.Limits is { } limits && limits.TryGetValue("memory", out var quantity)
            ? (long)quantity.ToDecimal()
            : 0;

    private V1Container Spec(string container) => _pod.Spec.Containers.First(c => c.Name == container);

    private void Emit(string container, string type, string reason, string message, DateTimeOffset at) =>
        _writes.Add(PodEvent(_pod, container, type, reason, message, at, NodeName));

    private void Log(string container, string line) =>
        _writes.Add(new AppendLog(_pod.Metadata.NamespaceProperty, _pod.Metadata.Name, container, line));

    private static RecordEvent PodEvent(V1Pod pod, string container, string type, string reason, string message, DateTimeOffset at, string? host = null) =>
        new(new EventSpec(
            KubeObjects.Reference("v1", "Pod", pod.Metadata, string.Create(CultureInfo.InvariantCulture, $"spec.containers{{{container}}}")),
            type, reason, message, Component, host ?? pod.Spec?.NodeName, at));
}
