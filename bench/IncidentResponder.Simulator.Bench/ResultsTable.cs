using System.Globalization;
using System.Text;

namespace IncidentResponder.Simulator.Bench;

/// <summary>Prints the benchmark's results as plain-text tables (also valid Markdown, for the README).</summary>
internal static class ResultsTable
{
    public static string Render(
        BenchSettings settings,
        TimeSpan loadTime,
        MemorySnapshot before,
        MemorySnapshot after,
        IReadOnlyList<LatencySummary> lists,
        WatchFanOutResult? watch,
        double targetEventsPerSecond)
    {
        var text = new StringBuilder();
        var objects = settings.Pods + settings.Deployments;
        Line(text, $"## Setup: {settings.Pods:N0} pods and {settings.Deployments:N0} deployments in {settings.Namespaces} namespaces, stored in {loadTime.TotalSeconds:F1} s ({objects / loadTime.TotalSeconds:N0} objects/s through the store)");
        Line(text, string.Empty);
        Line(text, "| Memory | before load | after load | per stored object |");
        Line(text, "|---|---:|---:|---:|");
        Line(text, $"| managed heap (after full GC) | {Mib(before.ManagedBytes)} | {Mib(after.ManagedBytes)} | {(after.ManagedBytes - before.ManagedBytes) / (double)objects:N0} B |");
        Line(text, $"| working set (resident) | {Mib(before.WorkingSetBytes)} | {Mib(after.WorkingSetBytes)} | {(after.WorkingSetBytes - before.WorkingSetBytes) / (double)objects:N0} B |");
        Line(text, string.Empty);
        Line(text, $"| LIST over HTTP ({settings.ListRuns} timed runs) | p50 ms | p99 ms | max ms | result |");
        Line(text, "|---|---:|---:|---:|---|");
        foreach (var list in lists)
        {
            Line(text, $"| {list.Name} | {list.P50Ms:F1} | {list.P99Ms:F1} | {list.MaxMs:F1} | {list.Detail} |");
        }

        if (watch is not null)
        {
            Line(text, string.Empty);
            Line(text, $"| Watch fan-out: {watch.Watchers} HTTP watchers, {watch.Updates:N0} pod updates | value |");
            Line(text, "|---|---:|");
            Line(text, $"| writer: updates/s through the store (while serving the watchers) | {watch.Updates / watch.WriterTime.TotalSeconds:N0} |");
            Line(text, $"| events/s delivered per watcher (slowest .. fastest) | {watch.SlowestWatcherEventsPerSecond:N0} .. {watch.FastestWatcherEventsPerSecond:N0} |");
            Line(text, $"| events/s delivered in total (all watchers) | {watch.TotalEventsPerSecond:N0} |");
            Line(text, $"| time from first write until every watcher saw the last event | {watch.UntilAllSawLast.TotalSeconds:F2} s |");
            Line(text, $"| of which after the writer finished (delivery lag) | {watch.LagAfterWriter.TotalMilliseconds:N0} ms |");
            Line(text, $"| bytes read per watcher | {Mib(watch.BytesPerWatcher)} |");
            Line(text, $"| writer per update: read pod back / store update / bytes allocated | {watch.Writer.GetMicroseconds:F1} us / {watch.Writer.UpdateMicroseconds:F1} us / {watch.Writer.AllocatedBytesPerUpdate:N0} B |");
            Line(text, $"| delivery capacity: {watch.Watchers} watchers replaying the {watch.Updates:N0} retained events from history | {(double)watch.Updates * watch.Watchers / watch.ReplayTime.TotalSeconds:N0} events/s ({watch.ReplayTime.TotalSeconds:F2} s) |");
            var verdict = watch.TotalEventsPerSecond >= targetEventsPerSecond ? "met" : "MISSED";
            Line(text, $"| target: >= {targetEventsPerSecond:N0} events/s delivered to {watch.Watchers} watchers | {verdict} |");
        }

        return text.ToString();
    }

    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:F1} MiB");

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');
}
