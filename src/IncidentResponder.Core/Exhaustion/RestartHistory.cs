using IncidentResponder.Core.Observations;

namespace IncidentResponder.Core.Exhaustion;

/// <summary>A container's restart count as observed at one instant.</summary>
public sealed record RestartSample(string Namespace, string Target, string Pod, string Container, DateTimeOffset At, int RestartCount);

/// <summary>
/// Restart counts over time, as data in and out (like the hysteresis state), so "restarts are rising" is a pure
/// question. A sample is kept only when the count changes, plus one baseline older than the window; a restart loses
/// the memory and detection simply starts over, never firing early.
/// </summary>
public sealed record RestartHistory(ValueList<RestartSample> Samples)
{
    public static RestartHistory Empty { get; } = new(ValueList<RestartSample>.Empty);

    /// <summary>
    /// Folds in the counts of one target's pods at <paramref name="now"/>. Pods that are gone are forgotten; other
    /// targets' samples are left alone, so one history can serve a namespace.
    /// </summary>
    public RestartHistory Advance(string @namespace, string target, IEnumerable<PodObservation> pods, TimeSpan window, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pods);
        var others = Samples.Where(s => s.Namespace != @namespace || s.Target != target);
        var mine = new List<RestartSample>();
        foreach (var pod in pods)
        {
            foreach (var container in pod.Containers)
            {
                var known = Of(@namespace, target, pod.Name, container.Name).ToList();
                if (known.Count == 0 || known[^1].RestartCount != container.RestartCount)
                {
                    known.Add(new RestartSample(@namespace, target, pod.Name, container.Name, now, container.RestartCount));
                }

                // Keep the newest sample at or before the window's start as the baseline, and everything after it.
                var baseline = known.FindLastIndex(s => s.At <= now - window);
                mine.AddRange(baseline < 0 ? known : known.Skip(baseline));
            }
        }

        return new RestartHistory(new ValueList<RestartSample>(others.Concat(mine)
            .OrderBy(s => s.Namespace, StringComparer.Ordinal)
            .ThenBy(s => s.Target, StringComparer.Ordinal)
            .ThenBy(s => s.Pod, StringComparer.Ordinal)
            .ThenBy(s => s.Container, StringComparer.Ordinal)
            .ThenBy(s => s.At)));
    }

    /// <summary>
    /// Restarts of a container within the window ending now. A pod created inside the window started at 0; for an
    /// older pod first seen inside the window the count before is unknown, so only what was seen rising counts.
    /// </summary>
    public int RiseWithin(string @namespace, string target, PodObservation pod, ContainerObservation container, TimeSpan window, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        var start = now - window;
        if (pod.CreatedAt >= start)
        {
            return container.RestartCount;
        }

        var known = Of(@namespace, target, pod.Name, container.Name).ToList();
        var baseline = known.LastOrDefault(s => s.At <= start) ?? known.FirstOrDefault();
        return baseline is null ? 0 : Math.Max(0, container.RestartCount - baseline.RestartCount);
    }

    private IEnumerable<RestartSample> Of(string @namespace, string target, string pod, string container) =>
        Samples.Where(s => s.Namespace == @namespace && s.Target == target && s.Pod == pod && s.Container == container).OrderBy(s => s.At);
}
