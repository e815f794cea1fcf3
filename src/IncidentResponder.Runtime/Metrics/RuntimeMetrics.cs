using Prometheus;

namespace IncidentResponder.Runtime.Metrics;

/// <summary>
/// Every metric family the runtime exports, named as controller-runtime and client-go name them so existing dashboards
/// and alerts work unchanged. Registered on an injected registry (not the static default) so each test and each
/// runtime instance in one process has its own numbers.
/// </summary>
public sealed class RuntimeMetrics
{
    private static readonly double[] ReconcileBuckets =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0,
         1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60];

    public RuntimeMetrics(CollectorRegistry registry)
    {
        Registry = registry;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        string[] controller = ["controller"];
        string[] queue = ["name", "controller"];

        ReconcileTotal = factory.CreateCounter("controller_runtime_reconcile_total", "Total number of reconciliations per controller", ["controller", "result"]);
        ReconcileErrors = factory.CreateCounter("controller_runtime_reconcile_errors_total", "Total number of reconciliation errors per controller", controller);
        TerminalReconcileErrors = factory.CreateCounter("controller_runtime_terminal_reconcile_errors_total", "Total number of terminal reconciliation errors per controller", controller);
        ReconcileTime = factory.CreateHistogram("controller_runtime_reconcile_time_seconds", "Length of time per reconciliation per controller",
            new HistogramConfiguration { LabelNames = controller, Buckets = ReconcileBuckets });
        MaxConcurrentReconciles = factory.CreateGauge("controller_runtime_max_concurrent_reconciles", "Maximum number of concurrent reconciles per controller", controller);
        ActiveWorkers = factory.CreateGauge("controller_runtime_active_workers", "Number of currently used workers per controller", controller);

        var durationBuckets = Histogram.ExponentialBuckets(1e-8, 10, 12);
        QueueDepth = factory.CreateGauge("workqueue_depth", "Current depth of workqueue", queue);
        QueueAdds = factory.CreateCounter("workqueue_adds_total", "Total number of adds handled by workqueue", queue);
        QueueLatency = factory.CreateHistogram("workqueue_queue_duration_seconds", "How long in seconds an item stays in workqueue before being requested",
            new HistogramConfiguration { LabelNames = queue, Buckets = durationBuckets });
        WorkDuration = factory.CreateHistogram("workqueue_work_duration_seconds", "How long in seconds processing an item from workqueue takes",
            new HistogramConfiguration { LabelNames = queue, Buckets = durationBuckets });
        UnfinishedWork = factory.CreateGauge("workqueue_unfinished_work_seconds", "How many seconds of work has been done that is in progress and hasn't been observed by work_duration", queue);
        LongestRunningProcessor = factory.CreateGauge("workqueue_longest_running_processor_seconds", "How many seconds has the longest running processor for workqueue been running", queue);
        QueueRetries = factory.CreateCounter("workqueue_retries_total", "Total number of retries handled by workqueue", queue);

        LeaderStatus = factory.CreateGauge("leader_election_master_status", "Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master", ["name"]);

        WatchRestarts = factory.CreateCounter("informer_watch_restarts_total", "Watches the informer had to open again, by reason", ["resource", "reason"]);
        Relists = factory.CreateCounter("informer_relists_total", "Full LISTs the informer made (the first sync counts as reason=initial)", ["resource", "reason"]);
        StoreObjects = factory.CreateGauge("informer_store_objects", "Objects held in the informer store", ["resource"]);
    }

    public CollectorRegistry Registry { get; }

    public Counter ReconcileTotal { get; }

    public Counter ReconcileErrors { get; }

    public Counter TerminalReconcileErrors { get; }

    public Histogram ReconcileTime { get; }

    public Gauge MaxConcurrentReconciles { get; }

    public Gauge ActiveWorkers { get; }

    public Gauge QueueDepth { get; }

    public Counter QueueAdds { get; }

    public Histogram QueueLatency { get; }

    public Histogram WorkDuration { get; }

    public Gauge UnfinishedWork { get; }

    public Gauge LongestRunningProcessor { get; }

    public Counter QueueRetries { get; }

    public Gauge LeaderStatus { get; }

    public Counter WatchRestarts { get; }

    public Counter Relists { get; }

    public Gauge StoreObjects { get; }

    /// <summary>
    /// The metrics of an operator process: the runtime's families plus prometheus-net's process and .NET runtime ones
    /// (dotnet_total_memory_bytes, process_open_handles, process_num_threads...), so a soak can tell a leak from a spike.
    /// </summary>
    public static RuntimeMetrics CreateForProcess()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        DotNetStats.Register(registry);
        return new RuntimeMetrics(registry);
    }

    /// <summary>A runtime whose metrics nobody scrapes.</summary>
    public static RuntimeMetrics CreateIsolated() => new(Prometheus.Metrics.NewCustomRegistry());
}
