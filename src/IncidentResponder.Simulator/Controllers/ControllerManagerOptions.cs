using IncidentResponder.Simulator.Kubelet;

namespace IncidentResponder.Simulator.Controllers;

/// <summary>How the simulated control plane and kubelets behave.</summary>
public sealed record ControllerManagerOptions
{
    /// <summary>Nodes created at start (when no Node exists yet).</summary>
    public int NodeCount { get; init; } = 3;

    /// <summary>Kubelet timing: start-up delay, crash timing, back-off and the speed factor.</summary>
    public KubeletSettings Kubelet { get; init; } = new();

    /// <summary>The job controller's first pod-failure back-off (upstream 10 s; it doubles per failure, capped at 6 min).</summary>
    public TimeSpan JobFailureBackOff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The 5 random characters of pod names; replace for deterministic names in tests.</summary>
    public Func<string> PodNameSuffix { get; init; } = RandomSuffix;

    /// <summary><c>rand.String(5)</c>: 5 characters of the safe alphabet.</summary>
    public static string RandomSuffix() =>
        string.Create(5, 0, (chars, _) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = PodTemplateHash.SafeAlphabet[Random.Shared.Next(PodTemplateHash.SafeAlphabet.Length)];
            }
        });
}
