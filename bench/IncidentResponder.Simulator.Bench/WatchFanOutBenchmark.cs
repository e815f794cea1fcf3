using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator.Bench;

/// <summary>The outcome of the watch fan-out run.</summary>
internal sealed record WatchFanOutResult(
    int Watchers,
    int Updates,
    TimeSpan WriterTime,
    TimeSpan UntilAllSawLast,
    TimeSpan LagAfterWriter,
    double SlowestWatcherEventsPerSecond,
    double FastestWatcherEventsPerSecond,
    double TotalEventsPerSecond,
    long BytesPerWatcher,
    WriterProfile Writer,
    TimeSpan ReplayTime);

/// <summary>Where the writer's time and allocations go per update: reading the pod back, and the store's update.</summary>
internal sealed record WriterProfile(double GetMicroseconds, double UpdateMicroseconds, long AllocatedBytesPerUpdate);

/// <summary>
/// Watch fan-out: <c>Watchers</c> HTTP watches on all pods (real chunked streams from a resourceVersion, so no
/// initial ADDED flood) while one writer updates a pod annotation <c>Updates</c> times through the store as fast as it
/// can. Every watcher must receive every MODIFIED event; the clock runs from the first write until the last watcher
/// has read the last event.
/// </summary>
internal sealed class WatchFanOutBenchmark(SimulatedCluster cluster, HttpClient http, BenchSettings settings)
{
    public async Task<WatchFanOutResult> RunAsync(CancellationToken ct)
    {
        var store = cluster.ClusterStore;
        var from = store.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        var path = $"api/v1/pods?watch=true&resourceVersion={from}&timeoutSeconds=3600";
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var readers = Enumerable.Range(0, settings.Watchers).Select(_ => new WatchStreamReader(http, path, settings.Updates)).ToList();
        var connected = readers.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToList();
        var reading = readers.Select((reader, i) => Task.Run(() => reader.RunAsync(connected[i], stop.Token), stop.Token)).ToList();
        await Task.WhenAll(connected.Select(c => c.Task)).WaitAsync(TimeSpan.FromSeconds(30), ct);
        while (store.OpenWatchers(BuiltinResources.Pods).Count < settings.Watchers)
        {
            // Headers are sent right after the watch registers; this only closes the gap between the two.
            await Task.Yield();
        }

        var start = Stopwatch.GetTimestamp();
        var writer = await Task.Run(() => Write(store, settings), ct);
        var writerEnd = Stopwatch.GetTimestamp();
        await Task.WhenAll(reading).WaitAsync(TimeSpan.FromMinutes(10), ct);

        var perWatcher = readers.Select(r => settings.Updates / Stopwatch.GetElapsedTime(start, r.DoneTimestamp).TotalSeconds).ToList();
        var lastDone = readers.Max(r => r.DoneTimestamp);
        var untilAll = Stopwatch.GetElapsedTime(start, lastDone);
        foreach (var reader in readers.Where(r => r.Other > 0))
        {
            throw new InvalidOperationException($"a watcher saw {reader.Other} events that were not MODIFIED");
        }

        var replay = await ReplayAsync(path, ct);
        return new WatchFanOutResult(
            settings.Watchers,
            settings.Updates,
            Stopwatch.GetElapsedTime(start, writerEnd),
            untilAll,
            Stopwatch.GetElapsedTime(writerEnd, lastDone),
            perWatcher.Min(),
            perWatcher.Max(),
            (double)settings.Updates * settings.Watchers / untilAll.TotalSeconds,
            readers[0].Bytes,
            writer,
            replay);
    }

    /// <summary>
    /// Delivery capacity without the writer: the same number of watchers resume from the same resourceVersion, so the
    /// server replays the retained history (every update above) to each of them as fast as the HTTP path allows.
    /// </summary>
    private async Task<TimeSpan> ReplayAsync(string path, CancellationToken ct)
    {
        var readers = Enumerable.Range(0, settings.Watchers).Select(_ => new WatchStreamReader(http, path, settings.Updates)).ToList();
        var connected = readers.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToList();
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(readers.Select((reader, i) => Task.Run(() => reader.RunAsync(connected[i], ct), ct))).WaitAsync(TimeSpan.FromMinutes(10), ct);
        if (readers.Any(r => r.Other > 0))
        {
            throw new InvalidOperationException("a replaying watcher saw events that were not MODIFIED");
        }

        return Stopwatch.GetElapsedTime(start, readers.Max(r => r.DoneTimestamp));
    }

    /// <summary>Read-modify-write of one annotation per update, cycling through the pods; timed in two sections.</summary>
    private static WriterProfile Write(ClusterStore store, BenchSettings settings)
    {
        long getTicks = 0;
        long updateTicks = 0;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (var k = 0; k < settings.Updates; k++)
        {
            var index = k % settings.Pods;
            var t0 = Stopwatch.GetTimestamp();
            var pod = store.Get(BuiltinResources.Pods, ClusterLoader.NamespaceName(index % settings.Namespaces), $"pod-{index:D6}")
                ?? throw new InvalidOperationException($"pod-{index:D6} is missing");
            var metadata = pod["metadata"]!.AsObject();
            if (metadata["annotations"] is not JsonObject annotations)
            {
                metadata["annotations"] = annotations = [];
            }

            annotations["bench.incidentresponder.dev/sequence"] = k.ToString(CultureInfo.InvariantCulture);
            var t1 = Stopwatch.GetTimestamp();
            store.Update(BuiltinResources.Pods, pod);
            var t2 = Stopwatch.GetTimestamp();
            getTicks += t1 - t0;
            updateTicks += t2 - t1;
        }

        var perUpdate = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / settings.Updates;
        double Micros(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency / settings.Updates;
        return new WriterProfile(Micros(getTicks), Micros(updateTicks), perUpdate);
    }
}
