using System.Diagnostics;
using System.Globalization;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Runtime.Bench;

/// <summary>
/// The writer's stream: update k (0 ≤ k &lt; Updates) sets the label <c>bench-seq</c> of pod k mod Pods to
/// <c>FirstSequence + k</c>. Round-robin over every pod gives as many distinct keys as possible and spaces repeats of one
/// key a whole round apart; the per-run offset keeps one run's final values from matching another's.
/// </summary>
internal sealed record PodUpdatePlan(int Pods, int Namespaces, int Updates, int FirstSequence)
{
    public int DistinctPods => Math.Min(Pods, Updates);

    /// <summary>The last sequence number pod <paramref name="index"/> receives.</summary>
    public int FinalSequence(int index) => FirstSequence + index + (Pods * ((Updates - 1 - index) / Pods));

    /// <summary>Makes every update through the store, read-modify-write, as fast as it can; returns the time taken.</summary>
    public TimeSpan Write(ClusterStore store)
    {
        var clock = Stopwatch.StartNew();
        for (var k = 0; k < Updates; k++)
        {
            var index = k % Pods;
            var pod = store.Get(BuiltinResources.Pods, RealisticPods.NamespaceName(index, Namespaces), RealisticPods.PodName(index))!;
            pod["metadata"]!["labels"]![RealisticPods.SequenceLabel] = (FirstSequence + k).ToString(CultureInfo.InvariantCulture);
            store.Update(BuiltinResources.Pods, pod);
        }

        return clock.Elapsed;
    }
}
