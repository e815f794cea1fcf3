using System.Globalization;
using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.Storage;
using k8s.Models;

namespace IncidentResponder.Simulator.Kubelet;

/// <summary>
/// The simulated kubelet's pod sync as a pure function: it replays every container transition due by
/// <c>now</c> (start, crash, back-off, pull failure, probe failure), emitting the events and log lines each one would
/// produce at the moment it happened, then projects the pod status a real kubelet would report.
/// This file holds the state, the entry points and the event/log helpers; the steps live in <c>PodLifecycle.*.cs</c>.
/// </summary>
public sealed partial class PodLifecycle
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

    /// <summary>
    /// Syncs a scheduled pod. <paramref name="memory"/> is null the first time the kubelet sees it;
    /// <paramref name="imageFault"/> is the fault an image of the pod carries (<see cref="ImageFaults"/>), which the
    /// pod's own fault annotation overrides.
    /// </summary>
    public static PodSync Advance(V1Pod pod, V1Node? node, PodMemory? memory, DateTimeOffset now, KubeletSettings settings, FaultSpec? imageFault = null)
    {
        var sync = new PodLifecycle(pod, node, memory ?? Initial(pod, now), settings);
        sync.ObserveFault(now, imageFault);
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

    private void ObserveFault(DateTimeOffset now, FaultSpec? imageFault)
    {
        var fault = FaultSpec.FromPod(_pod);
        if (fault.Kind == FaultKind.None && imageFault is not null)
        {
            fault = imageFault;
        }

        if (fault != _memory.Fault)
        {
            _memory = _memory with { Fault = fault, FaultSeenAt = now };
        }
    }

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
