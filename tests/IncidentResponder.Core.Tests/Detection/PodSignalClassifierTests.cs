using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Tests.Fixtures;
using static IncidentResponder.Core.Tests.Fixtures.Cluster;

namespace IncidentResponder.Core.Tests.Detection;

public sealed class PodSignalClassifierTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan OomLookback = TimeSpan.FromMinutes(10);

    private static IReadOnlyList<PodSignal> Classify(PodObservation pod) => PodSignalClassifier.Classify(pod, Clock.T0, Grace, OomLookback);

    [Theory]
    [InlineData("CrashLoopBackOff", SignalType.CrashLoop)]
    [InlineData("ErrImagePull", SignalType.ImagePull)]
    [InlineData("ImagePullBackOff", SignalType.ImagePull)]
    [InlineData("CreateContainerConfigError", SignalType.ConfigError)]
    public void Waiting_reasons_map_to_signals(string reason, SignalType expected)
    {
        var signal = Assert.Single(Classify(Waiting("p", 3, reason)));
        Assert.Equal(new PodSignal(expected, reason), signal);
    }

    [Theory]
    [InlineData("ContainerCreating")]
    [InlineData("PodInitializing")]
    public void Ordinary_waiting_is_no_signal(string reason) =>
        Assert.Empty(Classify(Waiting("p", 3, reason) with { NotReadySince = Clock.T0 }));

    [Fact]
    public void Healthy_pod_shows_nothing() => Assert.Empty(Classify(HealthyPod("p", 3)));

    [Fact]
    public void Recent_oom_kill_counts() =>
        Assert.Equal(SignalType.OOMKilled, Assert.Single(Classify(OomKilled("p", 3, Clock.At(-60)))).Type);

    [Fact]
    public void Old_oom_kill_does_not_count() => Assert.Empty(Classify(OomKilled("p", 3, Clock.At(-3600))));

    [Fact]
    public void Running_unready_beyond_grace_is_readiness_failing() =>
        Assert.Equal(SignalType.ReadinessFailing, Assert.Single(Classify(RunningNotReady("p", 3, Clock.At(-31)))).Type);

    [Fact]
    public void Running_unready_within_grace_is_a_slow_start() => Assert.Empty(Classify(RunningNotReady("p", 3, Clock.At(-29))));

    [Fact]
    public void Crashloop_is_not_also_reported_as_readiness()
    {
        var crashing = CrashLooping("p", 3) with { NotReadySince = Clock.At(-600) };
        Assert.Equal([SignalType.CrashLoop], Classify(crashing).Select(s => s.Type));
    }

    [Fact]
    public void Several_containers_report_each_signal_once()
    {
        var pod = Pod("p", 3, false,
            new ContainerObservation("a", false, false, "CrashLoopBackOff", "OOMKilled", 137, Clock.At(-10), 5),
            new ContainerObservation("b", false, false, "CrashLoopBackOff", null, null, null, 5));
        Assert.Equal([SignalType.CrashLoop, SignalType.OOMKilled], Classify(pod).Select(s => s.Type));
    }
}
