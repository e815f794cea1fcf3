using IncidentResponder.Core.Exhaustion;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Tests.Fixtures;
using static IncidentResponder.Core.Tests.Fixtures.Cluster;

namespace IncidentResponder.Core.Tests.Exhaustion;

public sealed class RestartHistoryTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    /// <summary>A pod created an hour before T0, so its restarts before the window are unknown.</summary>
    private static PodObservation Old(string name, int restarts) =>
        Pod(name, 2, true, new ContainerObservation("app", true, true, null, null, null, null, restarts)) with { CreatedAt = Clock.T0.AddHours(-1) };

    private static (RestartHistory History, PodObservation Pod) Observe(RestartHistory history, string name, int restarts, double minutes)
    {
        var pod = Old(name, restarts);
        return (history.Advance(Namespace, Name, [pod], Window, Clock.T0.AddMinutes(minutes)), pod);
    }

    private static int Rise(RestartHistory history, PodObservation pod, double minutes) =>
        history.RiseWithin(Namespace, Name, pod, pod.Containers[0], Window, Clock.T0.AddMinutes(minutes));

    [Fact]
    public void An_old_pod_seen_for_the_first_time_has_no_known_rise()
    {
        var (history, pod) = Observe(RestartHistory.Empty, "web-1", 20, 0);
        Assert.Equal(0, Rise(history, pod, 0));
    }

    [Fact]
    public void Restarts_counted_since_the_baseline_at_the_windows_start()
    {
        var (history, _) = Observe(RestartHistory.Empty, "web-1", 3, 0);
        (history, _) = Observe(history, "web-1", 5, 8);
        var (latest, pod) = Observe(history, "web-1", 9, 15);

        // At 15m the window starts at 5m; the count then was 3 (unchanged since 0m), so 6 restarts happened in it.
        Assert.Equal(6, Rise(latest, pod, 15));

        // At 19m the window starts at 9m, when the count was 5.
        var (later, same) = Observe(latest, "web-1", 9, 19);
        Assert.Equal(4, Rise(later, same, 19));
    }

    [Fact]
    public void A_pod_created_inside_the_window_counts_every_restart()
    {
        var young = Pod("web-1", 2, true, new ContainerObservation("app", true, true, null, null, null, null, 6)) with { CreatedAt = Clock.At(-120) };
        Assert.Equal(6, RestartHistory.Empty.RiseWithin(Namespace, Name, young, young.Containers[0], Window, Clock.T0));
    }

    [Fact]
    public void Keeps_only_changes_and_one_baseline_and_forgets_pods_that_are_gone()
    {
        var history = RestartHistory.Empty;
        for (var minute = 0; minute <= 30; minute++)
        {
            (history, _) = Observe(history, "web-1", minute / 5, minute);
        }

        // Counts changed at 0,5,...,30; at 30m the window starts at 20m: baseline (20m) + 25m + 30m.
        Assert.Equal([20.0, 25.0, 30.0], history.Samples.Select(s => (s.At - Clock.T0).TotalMinutes));

        var gone = history.Advance(Namespace, Name, [Old("web-2", 0)], Window, Clock.T0.AddMinutes(31));
        Assert.Equal(["web-2"], gone.Samples.Select(s => s.Pod));
    }

    [Fact]
    public void Other_targets_are_left_alone_and_the_same_observation_twice_changes_nothing()
    {
        var other = RestartHistory.Empty.Advance(Namespace, "api", [Old("api-1", 1)], Window, Clock.T0);
        var (once, _) = Observe(other, "web-1", 2, 1);
        var (twice, _) = Observe(once, "web-1", 2, 1);
        Assert.Equal(once, twice);
        Assert.Contains(twice.Samples, s => s.Target == "api");
    }
}
