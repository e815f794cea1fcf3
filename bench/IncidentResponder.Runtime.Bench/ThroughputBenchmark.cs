using System.Diagnostics;
using System.Globalization;
using IncidentResponder.Runtime.Controllers;
using IncidentResponder.Runtime.Metrics;
using Microsoft.Extensions.Logging.Abstractions;

namespace IncidentResponder.Runtime.Bench;

/// <summary>How the stream reaches the two readers.</summary>
internal enum StreamMode
{
    /// <summary>Both readers watch before the writer starts and read the updates as they are made.</summary>
    Live,

    /// <summary>The writer makes every update first; both readers then read them from the watch history at full speed.</summary>
    Replay,
}

internal sealed record ThroughputResult(
    StreamMode Mode,
    int Updates,
    int DistinctPods,
    TimeSpan? WriterTime,
    TimeSpan BareTime,
    TimeSpan HandlersTime,
    TimeSpan ConvergedTime,
    int ReconcileCalls)
{
    public double BareRate => Updates / BareTime.TotalSeconds;

    public double HandlersRate => Updates / HandlersTime.TotalSeconds;

    /// <summary>Events per second from watch to "every updated pod reconciled at its final state".</summary>
    public double ReconciledRate => Updates / ConvergedTime.TotalSeconds;

    public double? WriterRate => WriterTime is { } t ? Updates / t.TotalSeconds : null;
}

/// <summary>
/// One stream of pod label updates read in the same run by (a) a projected pod informer feeding a controller with a
/// trivial reconciler and (b) a bare KubernetesClient watch loop, both from the same resourceVersion. Times run from
/// the writer's start (live) or the moment both watches are released (replay) to each reader's last event.
/// </summary>
internal sealed class ThroughputBenchmark(BenchCluster cluster, BenchSettings settings)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    public async Task<ThroughputResult> RunAsync(StreamMode mode, int firstSequence, TextWriter progress, CancellationToken cancellationToken)
    {
        var plan = new PodUpdatePlan(settings.Pods, settings.Namespaces, settings.Updates, firstSequence);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (mode == StreamMode.Live)
        {
            gate.SetResult();
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var informerClient = cluster.NewClient();
        using var bareClient = cluster.NewClient();
        var metrics = RuntimeMetrics.CreateIsolated();
        var watchesBefore = cluster.OpenPodWatches;
        var watchSet = cluster.PodWatches();
        var startVersion = cluster.Store.ResourceVersion.ToString(CultureInfo.InvariantCulture);

        var informer = PodInformers.Projected(new GatedPodSource(PodInformers.AllPods(informerClient), gate.Task), metrics);
        var handler = new CountingHandler(plan.Updates);
        informer.AddEventHandler(handler);
        var reconciler = new ConvergenceReconciler(informer.Store, plan);
        using var controller = new Controller(new ControllerOptions { Name = "bench-pods", MaxConcurrentReconciles = settings.Workers }, reconciler, metrics, NullLogger.Instance, TimeProvider.System);
        controller.For(informer);
        var bare = new BareWatchLoop(bareClient, startVersion, plan.Updates, gate.Task);

        await using var running = new RunningInformer(informer);
        await informer.WaitForSyncAsync(stop.Token).WaitAsync(Limit, stop.Token).ConfigureAwait(false);
        if (informer.LastResourceVersion != startVersion)
        {
            throw new InvalidOperationException($"The informer listed at {informer.LastResourceVersion}, the bare watch starts at {startVersion}: not the same stream.");
        }

        var controllerRun = controller.RunAsync(stop.Token);
        // The initial LIST enqueues every pod once; drain those reconciles so they are not counted as the stream's.
        await Poll.UntilAsync(() => reconciler.Calls >= settings.Pods && controller.Queue.Count == 0, Limit, "the initial reconciles", stop.Token).ConfigureAwait(false);
        var callsBefore = reconciler.Calls;
        var bareRun = Task.Run(() => bare.RunAsync(stop.Token), stop.Token);

        long start;
        TimeSpan? writerTime = null;
        if (mode == StreamMode.Live)
        {
            await Poll.UntilAsync(() => cluster.OpenPodWatches >= watchesBefore + 2, Limit, "both watches", stop.Token).ConfigureAwait(false);
            await progress.WriteLineAsync($"  {mode}: both watches open, writing {plan.Updates:N0} updates...").ConfigureAwait(false);
            start = Stopwatch.GetTimestamp();
            writerTime = await Task.Run(() => plan.Write(cluster.Store), stop.Token).ConfigureAwait(false);
        }
        else
        {
            await progress.WriteLineAsync($"  {mode}: informer synced, watches held; writing {plan.Updates:N0} updates...").ConfigureAwait(false);
            plan.Write(cluster.Store);
            start = Stopwatch.GetTimestamp();
            gate.SetResult();
        }

        await bareRun.WaitAsync(Limit, stop.Token).ConfigureAwait(false);
        await Poll.UntilAsync(() => reconciler.Converged == plan.DistinctPods && handler.Updates >= plan.Updates, Limit, "the informer path to reconcile every update", stop.Token).ConfigureAwait(false);
        var result = new ThroughputResult(
            mode,
            plan.Updates,
            plan.DistinctPods,
            writerTime,
            Stopwatch.GetElapsedTime(start, bare.LastEventAt),
            Stopwatch.GetElapsedTime(start, handler.LastUpdateAt),
            Stopwatch.GetElapsedTime(start, reconciler.AllConvergedAt),
            reconciler.Calls - callsBefore);

        await stop.CancelAsync().ConfigureAwait(false);
        await controllerRun.ConfigureAwait(false);

        // Stop the informer first: it would reopen a watch the server ends under it.
        await running.DisposeAsync().ConfigureAwait(false);
        await cluster.EndPodWatchesOpenedSinceAsync(watchSet, cancellationToken).ConfigureAwait(false);
        return result;
    }
}
