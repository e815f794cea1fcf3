namespace IncidentResponder.Simulator.Kubelet;

/// <summary>
/// Timing of the simulated kubelet. Every duration here, the kubelet's crash back-off and a fault's
/// <c>fault-after</c> are divided by <see cref="SpeedFactor"/>, so a test can run a 5-minute back-off in 3 seconds
/// while the API-level clocks (progressDeadlineSeconds, minReadySeconds) keep their real meaning.
/// </summary>
public sealed record KubeletSettings
{
    /// <summary>From scheduling until the containers run (the ContainerCreating phase, image pull included).</summary>
    public TimeSpan StartupDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a container with a crashloop or oom fault runs before it dies.</summary>
    public TimeSpan CrashAfter { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>From ErrImagePull to ImagePullBackOff (the kubelet's next pod sync).</summary>
    public TimeSpan PullErrorToBackOff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>First crash back-off; it doubles on each crash up to <see cref="BackOffMax"/> (kubelet: 10 s, 5 min).</summary>
    public TimeSpan BackOffInitial { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan BackOffMax { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Readiness probe period when the probe does not set one (the API default is 10 s).</summary>
    public TimeSpan DefaultProbePeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a Job's container runs before it exits 0, when its pod has no <c>run-for</c> annotation.</summary>
    public TimeSpan JobRunTime { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Divides every kubelet duration; 1 is real time.</summary>
    public double SpeedFactor { get; init; } = 1;

    public TimeSpan Scaled(TimeSpan duration) => SpeedFactor <= 0 ? duration : duration / SpeedFactor;

    /// <summary>The kubelet's restart back-off before restart number <paramref name="restartCount"/> + 1 (unscaled, as shown in messages).</summary>
    public TimeSpan CrashBackOff(int restartCount)
    {
        if (restartCount <= 0)
        {
            return TimeSpan.Zero;
        }

        var doubled = BackOffInitial.TotalSeconds * Math.Pow(2, Math.Min(restartCount - 1, 30));
        return TimeSpan.FromSeconds(Math.Min(doubled, BackOffMax.TotalSeconds));
    }

    /// <summary>Image pull back-off after <paramref name="attempts"/> failed pulls (unscaled).</summary>
    public TimeSpan PullBackOff(int attempts) => CrashBackOff(Math.Max(1, attempts));
}
