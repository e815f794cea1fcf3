using System.Diagnostics;
using System.Globalization;
using IncidentResponder.Runtime.Controllers;
using IncidentResponder.Runtime.Informers;

namespace IncidentResponder.Runtime.Bench;

/// <summary>
/// A trivial level-triggered reconciler: it reads the pod from the informer's cache, as a real one would, and notes
/// when a pod is seen at the last value the writer gave it. The queue collapses repeated keys, so counting calls says
/// little; "every updated pod reconciled at its final state" is the end point of the watch-to-reconcile path.
/// </summary>
internal sealed class ConvergenceReconciler(IReadOnlyStore<PodSummary> cache, PodUpdatePlan plan) : IReconciler
{
    private readonly int[] _converged = new int[plan.Pods];
    private int _calls;
    private int _convergedCount;

    public int Calls => Volatile.Read(ref _calls);

    public int Converged => Volatile.Read(ref _convergedCount);

    /// <summary><see cref="Stopwatch"/> timestamp of the reconcile that saw the last pod reach its final value.</summary>
    public long AllConvergedAt { get; private set; }

    public Task<ReconcileResult> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        var pod = cache.Get(new ObjectKey(request.Namespace, request.Name));
        if (pod?.Label(RealisticPods.SequenceLabel) is { } label
            && int.TryParse(label, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            var index = RealisticPods.PodIndex(request.Name);
            if (sequence == plan.FinalSequence(index)
                && Interlocked.Exchange(ref _converged[index], 1) == 0
                && Interlocked.Increment(ref _convergedCount) == plan.DistinctPods)
            {
                AllConvergedAt = Stopwatch.GetTimestamp();
            }
        }

        return Task.FromResult(ReconcileResult.Done);
    }
}
