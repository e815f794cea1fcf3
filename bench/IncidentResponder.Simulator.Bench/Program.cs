using System.CommandLine;
using System.Net.Http.Headers;
using IncidentResponder.Simulator;
using IncidentResponder.Simulator.Bench;

// The target from the simulator issue: the simulator must not be what limits the operator's own benchmarks.
const double TargetEventsPerSecond = 20_000;

var pods = new Option<int>("--pods") { Description = "Pods to store.", DefaultValueFactory = _ => 50_000 };
var deployments = new Option<int>("--deployments") { Description = "Deployments to store.", DefaultValueFactory = _ => 5_000 };
var updates = new Option<int>("--updates") { Description = "Pod updates the writer makes during the watch fan-out.", DefaultValueFactory = _ => 100_000 };
var watchers = new Option<int>("--watchers") { Description = "Concurrent HTTP watchers on all pods.", DefaultValueFactory = _ => 10 };
var listRuns = new Option<int>("--list-runs") { Description = "Timed runs per LIST shape (p50/p99 over these).", DefaultValueFactory = _ => 20 };
var namespaces = new Option<int>("--namespaces") { Description = "Namespaces the objects are spread over.", DefaultValueFactory = _ => 50 };
var root = new RootCommand("Benchmark of the simulated cluster: LIST latency, watch fan-out throughput and memory with a large store.")
{
    pods, deployments, updates, watchers, listRuns, namespaces,
};
root.SetAction(async (parse, ct) =>
{
    var settings = new BenchSettings(parse.GetValue(pods), parse.GetValue(deployments), parse.GetValue(updates), parse.GetValue(watchers), parse.GetValue(listRuns), parse.GetValue(namespaces));
    if (settings.Pods < 1 || settings.Deployments < 0 || settings.Updates < 1 || settings.Watchers < 0 || settings.ListRuns < 1 || settings.Namespaces < 1)
    {
        await parse.InvocationConfiguration.Error.WriteLineAsync("--pods, --updates, --list-runs and --namespaces must be at least 1; --deployments and --watchers at least 0");
        return 2;
    }

    var output = parse.InvocationConfiguration.Output;
    await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions(), ct);
    var before = MemorySnapshot.Take();
    await output.WriteLineAsync($"simulated cluster at {cluster.BaseAddress}; loading {settings.Pods:N0} pods and {settings.Deployments:N0} deployments through the store...");
    var loadTime = ClusterLoader.Load(cluster.ClusterStore, settings);
    var after = MemorySnapshot.Take();

    using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
    using var http = new HttpClient(handler) { BaseAddress = cluster.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", cluster.Options.Token);
    http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

    await output.WriteLineAsync("measuring LIST latency...");
    var lists = await new ListLatencyBenchmark(http, settings).RunAsync(ct);
    WatchFanOutResult? watch = null;
    if (settings.Watchers > 0)
    {
        await output.WriteLineAsync($"measuring watch fan-out ({settings.Watchers} watchers, {settings.Updates:N0} updates)...");
        watch = await new WatchFanOutBenchmark(cluster, http, settings).RunAsync(ct);
    }

    await output.WriteLineAsync();
    await output.WriteAsync(ResultsTable.Render(settings, loadTime, before, after, lists, watch, TargetEventsPerSecond));
    return watch is null || watch.TotalEventsPerSecond >= TargetEventsPerSecond ? 0 : 1;
});
return await root.Parse(args).InvokeAsync();
