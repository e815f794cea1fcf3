using IncidentResponder.Runtime.Queue;
using Prometheus;

namespace IncidentResponder.Runtime.Metrics;

/// <summary>The workqueue_* series for one queue.</summary>
public sealed class PrometheusWorkQueueMetrics : IWorkQueueMetrics
{
    private readonly RuntimeMetrics _metrics;
    private readonly string[] _labels;
    private readonly Counter.Child _adds;
    private readonly Gauge.Child _depth;
    private readonly Histogram.Child _latency;
    private readonly Histogram.Child _work;
    private readonly Counter.Child _retries;

    public PrometheusWorkQueueMetrics(RuntimeMetrics metrics, string queueName)
    {
        _metrics = metrics;
        _labels = [queueName, queueName];
        _adds = metrics.QueueAdds.WithLabels(_labels);
        _depth = metrics.QueueDepth.WithLabels(_labels);
        _latency = metrics.QueueLatency.WithLabels(_labels);
        _work = metrics.WorkDuration.WithLabels(_labels);
        _retries = metrics.QueueRetries.WithLabels(_labels);
    }

    public void Added() => _adds.Inc();

    public void DepthChanged(int depth) => _depth.Set(depth);

    public void WaitedInQueue(TimeSpan duration) => _latency.Observe(duration.TotalSeconds);

    public void Worked(TimeSpan duration) => _work.Observe(duration.TotalSeconds);

    public void Retried() => _retries.Inc();

    /// <summary>Unfinished work is a property of "now", so it is computed when Prometheus scrapes rather than pushed.</summary>
    public void TrackUnfinishedWork<T>(WorkQueue<T> queue)
        where T : notnull
    {
        var unfinished = _metrics.UnfinishedWork.WithLabels(_labels);
        var longest = _metrics.LongestRunningProcessor.WithLabels(_labels);
        _metrics.Registry.AddBeforeCollectCallback(() =>
        {
            var durations = queue.ProcessingDurations();
            unfinished.Set(durations.Sum(d => d.TotalSeconds));
            longest.Set(durations.Count == 0 ? 0 : durations.Max().TotalSeconds);
        });
    }
}
