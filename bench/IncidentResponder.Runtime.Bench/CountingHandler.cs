using System.Diagnostics;
using IncidentResponder.Runtime.Informers;

namespace IncidentResponder.Runtime.Bench;

/// <summary>Counts the update events the informer hands to its handlers, and when the expected last one came.</summary>
internal sealed class CountingHandler(int expected) : IInformerEventHandler<PodSummary>
{
    private int _updates;

    public int Updates => Volatile.Read(ref _updates);

    public long LastUpdateAt { get; private set; }

    public void OnAdd(PodSummary obj, bool isInInitialList)
    {
    }

    public void OnUpdate(PodSummary oldObj, PodSummary newObj)
    {
        if (Interlocked.Increment(ref _updates) == expected)
        {
            LastUpdateAt = Stopwatch.GetTimestamp();
        }
    }

    public void OnDelete(PodSummary obj)
    {
    }
}
