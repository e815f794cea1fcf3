using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.Storage;
using k8s.Models;

namespace IncidentResponder.Simulator.Kubelet;

/// <summary>The pod status a real kubelet would report: phase, conditions, container states, IPs and QoS class.</summary>
public sealed partial class PodLifecycle
{
    private bool IsReady(ContainerMemory container, DateTimeOffset now) =>
        container.Phase == ContainerPhase.Running
        && !_memory.IsFaultActive(FaultKind.Unready, now, _settings)
        && now >= container.StartedAt!.Value + ReadinessDelay(container.Name);

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
}
