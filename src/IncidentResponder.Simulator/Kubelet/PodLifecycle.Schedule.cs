namespace IncidentResponder.Simulator.Kubelet;

/// <summary>When each container's next transition is due (start, crash, pull kill, probe failure), replayed in time order, and when to wake next.</summary>
public sealed partial class PodLifecycle
{
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
                return new[] { CrashTime(container), PullKillTime(container), NextProbeFailure(container), CompletionTime(container) }.Min();
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

    /// <summary>When a container that runs to completion exits 0 (<see cref="RunFor"/>), or null for one that serves forever.</summary>
    private DateTimeOffset? CompletionTime(ContainerMemory container) =>
        RunFor.For(_pod, _settings) is { } runFor ? container.StartedAt!.Value + _settings.Scaled(runFor) : null;

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
}
