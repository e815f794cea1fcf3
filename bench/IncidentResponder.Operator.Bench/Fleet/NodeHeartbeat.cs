using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Operator.Bench.Fleet;

/// <summary>
/// What the kubelets of a node fleet write while nothing happens: each renews its node Lease every 10 s (the kubelet's
/// default) and posts its node status every minute (the kubelet's default report period is 5 minutes; once a minute
/// is harsher), and the nodes raise a steady trickle of Events. Writes are spread evenly over each period.
/// </summary>
internal sealed class NodeHeartbeat(ClusterStore store, IReadOnlyList<string> nodes, double eventsPerSecond = 5)
{
    public static readonly TimeSpan LeaseRenewal = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan StatusReport = TimeSpan.FromMinutes(1);

    private long _written;

    public long Written => Interlocked.Read(ref _written);

    /// <summary>The write rate this fleet asks for: lease renewals, status posts and events per second.</summary>
    public double PerSecond => nodes.Count / LeaseRenewal.TotalSeconds + nodes.Count / StatusReport.TotalSeconds + (nodes.Count > 0 ? eventsPerSecond : 0);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (nodes.Count == 0)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        long leases = 0, statuses = 0, events = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var now = DateTimeOffset.UtcNow;
            for (var due = (long)(elapsed * nodes.Count / LeaseRenewal.TotalSeconds); leases < due; leases++)
            {
                RenewLease(nodes[(int)(leases % nodes.Count)], now);
            }

            for (var due = (long)(elapsed * nodes.Count / StatusReport.TotalSeconds); statuses < due; statuses++)
            {
                PostStatus(nodes[(int)(statuses % nodes.Count)], now);
            }

            for (var due = (long)(elapsed * eventsPerSecond); events < due; events++)
            {
                RecordEvent(nodes[(int)(events * 7919 % nodes.Count)], events, now);
            }

            try
            {
                // Pacing only: the writer sleeps until its next writes are due.
                await Task.Delay(10, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void RenewLease(string node, DateTimeOffset now)
    {
        if (store.Get(BuiltinResources.Leases, NodeFleet.LeaseNamespace, node) is { } lease)
        {
            lease["spec"]!["renewTime"] = NodeFleet.MicroTime(now);
            Write(() => store.Update(BuiltinResources.Leases, lease));
        }
    }

    private void PostStatus(string node, DateTimeOffset now)
    {
        if (store.Get(BuiltinResources.Nodes, null, node) is { } current)
        {
            foreach (var condition in current["status"]!["conditions"]!.AsArray())
            {
                condition!["lastHeartbeatTime"] = WorkloadObjects.Time(now);
            }

            Write(() => store.Update(BuiltinResources.Nodes, current, status: true));
        }
    }

    private void RecordEvent(string node, long sequence, DateTimeOffset now) => Write(() => store.Create(BuiltinResources.Events, new JsonObject
    {
        ["metadata"] = new JsonObject { ["name"] = string.Create(CultureInfo.InvariantCulture, $"{node}.{sequence:x}"), ["namespace"] = "default" },
        ["involvedObject"] = new JsonObject { ["kind"] = "Node", ["name"] = node, ["uid"] = node },
        ["reason"] = "NodeHasSufficientMemory",
        ["message"] = $"Node {node} status is now: NodeHasSufficientMemory",
        ["type"] = "Normal",
        ["source"] = new JsonObject { ["component"] = "kubelet", ["host"] = node },
        ["firstTimestamp"] = WorkloadObjects.Time(now),
        ["lastTimestamp"] = WorkloadObjects.Time(now),
        ["count"] = 1,
    }));

    /// <summary>A write that lost a race with another writer is simply the next heartbeat's to make.</summary>
    private void Write(Func<JsonObject> write)
    {
        try
        {
            write();
            Interlocked.Increment(ref _written);
        }
        catch (StoreException)
        {
            // Conflict or gone: skip this beat.
        }
    }
}
