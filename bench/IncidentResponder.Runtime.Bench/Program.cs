using System.CommandLine;
using IncidentResponder.Runtime.Bench;

var pods = new Option<int>("--pods") { Description = "Pods stored in the simulated cluster.", DefaultValueFactory = _ => 50_000 };
var updates = new Option<int>("--updates") { Description = "Pod label updates in each throughput run.", DefaultValueFactory = _ => 100_000 };
var syncRuns = new Option<int>("--sync-runs") { Description = "Initial-sync runs (p50 over these).", DefaultValueFactory = _ => 5 };
var namespaces = new Option<int>("--namespaces") { Description = "Namespaces the pods are spread over.", DefaultValueFactory = _ => 50 };
var workers = new Option<int>("--workers") { Description = "Reconcile workers of the controller (controller-runtime's default is 1).", DefaultValueFactory = _ => 1 };
var root = new RootCommand("Benchmarks of the controller runtime against the simulated cluster: informer memory per pod, initial sync time, and event throughput from watch to reconcile versus a bare KubernetesClient watch.")
{
    pods, updates, syncRuns, namespaces, workers,
};
root.SetAction(async (parse, ct) =>
{
    var settings = new BenchSettings(parse.GetValue(pods), parse.GetValue(updates), parse.GetValue(syncRuns), parse.GetValue(namespaces), parse.GetValue(workers));
    if (settings.Pods < 1 || settings.Updates < 1 || settings.SyncRuns < 1 || settings.Namespaces < 1 || settings.Workers < 1)
    {
        await parse.InvocationConfiguration.Error.WriteLineAsync("--pods, --updates, --sync-runs, --namespaces and --workers must be at least 1");
        return 2;
    }

    var output = parse.InvocationConfiguration.Output;
    var loadAtStart = LoadAverage.Read();
    await using var cluster = await BenchCluster.StartAsync(settings, ct);
    await output.WriteLineAsync($"simulated cluster at {cluster.Cluster.BaseAddress} (API server only); loading {settings.Pods:N0} pods through the store...");
    var loadTime = cluster.LoadPods(settings);

    // The sync runs come first: they also warm up JIT, connection and server buffer pools before the heap is measured.
    await output.WriteLineAsync("measuring time to initial sync...");
    var sync = await new InitialSyncBenchmark(cluster, settings).RunAsync(output, ct);
    await output.WriteLineAsync("measuring informer memory...");
    var memory = await new InformerMemoryBenchmark(cluster, settings).RunAsync(ct);
    await output.WriteLineAsync("measuring event throughput...");
    var throughput = new ThroughputBenchmark(cluster, settings);
    var live = await throughput.RunAsync(StreamMode.Live, firstSequence: 0, output, ct);
    var replay = await throughput.RunAsync(StreamMode.Replay, firstSequence: settings.Updates, output, ct);

    var results = new BenchResults(settings, loadTime, cluster.SamplePodJsonBytes(settings), sync, memory, [live, replay], loadAtStart, LoadAverage.Read());
    await output.WriteLineAsync();
    await output.WriteAsync(ResultsTable.Render(results));
    return ResultsTable.MemoryGoalMet(results) && ResultsTable.ThroughputGoalMet(results) ? 0 : 1;
});
return await root.Parse(args).InvokeAsync();
