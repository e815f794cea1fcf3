using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Operator.Bench;

/// <summary>
/// The background noise of a busy cluster: a steady stream of writes to healthy pods, alternating an annotation
/// update (as controllers and tools make) and a status update (as the kubelet makes), at a fixed rate. Every write
/// wakes the operator's pod informer and its detection controller for that pod's Deployment, as on a real cluster.
/// </summary>
internal sealed class ChurnWriter(ClusterStore store, IReadOnlyList<(string Namespace, string Name)> pods, int perSecond, CommitLog commits)
{
    public const string Annotation = "bench.incidentresponder.dev/heartbeat";

    private long _written;
    private long _skipped;

    public long Written => Interlocked.Read(ref _written);

    /// <summary>Writes dropped because the writer fell more than a second behind its schedule (0 when the rate was held).</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (perSecond <= 0 || pods.Count == 0)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        long scheduled = 0;
        var random = new Random(17);
        while (!cancellationToken.IsCancellationRequested)
        {
            var due = (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * perSecond);
            if (due - scheduled > perSecond)
            {
                Interlocked.Add(ref _skipped, due - scheduled - perSecond);
                scheduled = due - perSecond;
            }

            for (; scheduled < due; scheduled++)
            {
                WriteOne(pods[random.Next(pods.Count)], scheduled);
                Interlocked.Increment(ref _written);
            }

            try
            {
                // Pacing only: the writer sleeps until its next writes are due.
                await Task.Delay(5, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void WriteOne((string Namespace, string Name) target, long sequence)
    {
        var pod = store.Get(BuiltinResources.Pods, target.Namespace, target.Name);
        if (pod is null)
        {
            return;
        }

        var status = sequence % 2 == 1;
        if (status)
        {
            // A kubelet status sync of a healthy pod: the Ready condition's probe time moves, nothing else.
            var ready = pod["status"]!["conditions"]!.AsArray().Select(c => c!.AsObject()).First(c => WorkloadObjects.Str(c, "type") == "Ready");
            ready["lastProbeTime"] = WorkloadObjects.Time(DateTimeOffset.UtcNow);
        }
        else
        {
            var annotations = pod["metadata"]!["annotations"] as JsonObject ?? [];
            annotations[Annotation] = sequence.ToString(CultureInfo.InvariantCulture);
            pod["metadata"]!["annotations"] = annotations;
        }

        commits.Write(() => store.Update(BuiltinResources.Pods, pod, status), WriteSource.Churn, before: CommitLog.ResourceVersionOf(pod));
    }
}
