using System.Globalization;
using System.Text;

namespace IncidentResponder.Runtime.Bench;

internal sealed record BenchResults(
    BenchSettings Settings,
    TimeSpan LoadTime,
    int PodJsonBytes,
    SyncResult Sync,
    MemoryResult Memory,
    IReadOnlyList<ThroughputResult> Throughput,
    string LoadAtStart,
    string LoadAtEnd);

/// <summary>The results as markdown tables, with each goal of the runtime issue marked met or missed.</summary>
internal static class ResultsTable
{
    public const double MemoryGoalBytesPerPod = 2048;
    public const double ThroughputGoalRatio = 0.8;

    public static bool MemoryGoalMet(BenchResults r) => r.Memory.Projected.BytesPerPod <= MemoryGoalBytesPerPod;

    public static bool ThroughputGoalMet(BenchResults r) => r.Throughput.All(t => t.ReconciledRate / t.BareRate >= ThroughputGoalRatio);

    public static string Render(BenchResults r)
    {
        var s = r.Settings;
        var text = new StringBuilder();
        text.AppendLine(Invariant($"Load average (1/5/15 min) at start: {r.LoadAtStart}; at end: {r.LoadAtEnd}; {Environment.ProcessorCount} cores; .NET {Environment.Version}"));
        text.AppendLine();
        text.AppendLine(Invariant($"## Setup: {s.Pods:N0} pods in {Math.Min(s.Namespaces, s.Pods)} namespaces, stored through the store (no HTTP, no controllers, no kubelet) in {r.LoadTime.TotalSeconds:F1} s; one pod is {r.PodJsonBytes:N0} bytes of JSON"));
        text.AppendLine();

        text.AppendLine("| Informer memory (live managed heap; informer created after the cluster was loaded) | before | synced | dropped | per pod: growth | per pod: released |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var m in new[] { r.Memory.Projected, r.Memory.Full })
        {
            text.AppendLine(Invariant($"| {m.Cache}, {m.Objects:N0} pods, owner index | {MiB(m.HeapBefore)} | {MiB(m.HeapWithInformer)} | {MiB(m.HeapAfterRelease)} | {m.GrowthPerPod:N0} B | {m.ReleasedPerPod:N0} B |"));
        }

        text.AppendLine(Invariant($"| goal: projection <= {MemoryGoalBytesPerPod:N0} B per pod (larger of the two) | | | | | {(MemoryGoalMet(r) ? "met" : "MISSED")} |"));
        text.AppendLine();

        text.AppendLine(Invariant($"| Initial sync, {s.Pods:N0} pods, LIST limit=500 ({s.SyncRuns} runs, fresh informer and client each) | p50 | min | max | first run (cold JIT) |"));
        text.AppendLine("|---|---:|---:|---:|---:|");
        text.AppendLine(Invariant($"| HasSynced (every page listed, projected and stored) | {Ms(r.Sync.SyncedP50)} | {Ms(r.Sync.Runs.Min(x => x.Synced))} | {Ms(r.Sync.Runs.Max(x => x.Synced))} | {Ms(r.Sync.Runs[0].Synced)} |"));
        text.AppendLine(Invariant($"| WATCH from the list's resourceVersion registered by the API server | {Ms(r.Sync.WatchP50)} | {Ms(r.Sync.Runs.Min(x => x.WatchEstablished))} | {Ms(r.Sync.Runs.Max(x => x.WatchEstablished))} | {Ms(r.Sync.Runs[0].WatchEstablished)} |"));
        text.AppendLine();

        text.AppendLine(Invariant($"| Event throughput, {s.Updates:N0} pod label updates over {Math.Min(s.Pods, s.Updates):N0} distinct pods, {s.Workers} worker(s) | live (readers watch before the writer) | replay (readers read the history) |"));
        text.AppendLine("|---|---:|---:|");
        var live = r.Throughput.Single(t => t.Mode == StreamMode.Live);
        var replay = r.Throughput.Single(t => t.Mode == StreamMode.Replay);
        Row(text, "writer: updates/s through the store", live.WriterRate is { } w ? Rate(w) : "-", "(written before the readers start)");
        Row(text, "bare KubernetesClient watch loop: events/s", Rate(live.BareRate), Rate(replay.BareRate));
        Row(text, "informer: events/s handed to event handlers", Rate(live.HandlersRate), Rate(replay.HandlersRate));
        Row(text, "informer + controller: events/s until every updated pod is reconciled at its final state", Rate(live.ReconciledRate), Rate(replay.ReconciledRate));
        Row(text, "reconciles during the stream (the queue collapses repeated keys)", Invariant($"{live.ReconcileCalls:N0}"), Invariant($"{replay.ReconcileCalls:N0}"));
        Row(text, "ratio: informer handlers / bare loop", Ratio(live.HandlersRate / live.BareRate), Ratio(replay.HandlersRate / replay.BareRate));
        Row(text, "ratio: informer + reconcile / bare loop", Ratio(live.ReconciledRate / live.BareRate), Ratio(replay.ReconciledRate / replay.BareRate));
        Row(text, Invariant($"goal: informer + reconcile >= {ThroughputGoalRatio:P0} of the bare loop"), Met(live), Met(replay));
        return text.ToString();
    }

    private static void Row(StringBuilder text, string what, string live, string replay) => text.AppendLine($"| {what} | {live} | {replay} |");

    private static string Met(ThroughputResult t) => t.ReconciledRate / t.BareRate >= ThroughputGoalRatio ? "met" : "MISSED";

    private static string MiB(long bytes) => Invariant($"{bytes / 1024.0 / 1024.0:N1} MiB");

    private static string Ms(TimeSpan t) => Invariant($"{t.TotalMilliseconds:N0} ms");

    private static string Rate(double perSecond) => Invariant($"{perSecond:N0}");

    private static string Ratio(double ratio) => Invariant($"{ratio:P0}");

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
