using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator.GitOps;

/// <summary>
/// The imperative shell the emulated GitOps controllers share: a subscription to the store that queues keys, one
/// worker that reconciles a key at a time on the cluster's clock, and the retry of a key whose reconcile failed. It
/// stands still while <see cref="SimulatorHooks.ControllersPaused"/> is set, like the built-in controllers.
/// </summary>
public abstract class GitOpsController : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private IDisposable? _subscription;
    private Task? _worker;

    protected GitOpsController(SimulatedCluster cluster, GitOpsOptions options)
    {
        Cluster = cluster;
        Store = cluster.ClusterStore;
        Options = options;
        Time = cluster.Options.Time;
        Git = new GitCli(options.GitExecutable);
        Queue = new GitOpsQueue(Time);
    }

    /// <summary>Reconciles that failed with an unexpected error (kept for tests and diagnostics; the key is retried).</summary>
    public ConcurrentQueue<Exception> Errors { get; } = new();

    protected SimulatedCluster Cluster { get; }

    protected ClusterStore Store { get; }

    protected GitOpsOptions Options { get; }

    protected TimeProvider Time { get; }

    protected GitCli Git { get; }

    protected GitOpsQueue Queue { get; }

    public void Start()
    {
        _subscription = Store.Subscribe(OnStoreEvent);
        foreach (var key in InitialKeys())
        {
            Queue.Add(key);
        }

        _worker = Task.Run(() => RunAsync(_stop.Token));
    }

    public async ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_worker is not null)
        {
            try
            {
                await _worker.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping is the expected way out of the loop.
            }
        }

        Queue.Dispose();
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The keys to reconcile when the controller starts (every existing object it owns).</summary>
    protected abstract IEnumerable<GitOpsKey> InitialKeys();

    /// <summary>Queues the keys a committed change concerns.</summary>
    protected abstract void OnStoreEvent(StoreEvent change);

    /// <summary>Reconciles one key; returns when to look at it again (null: only when something changes).</summary>
    protected abstract TimeSpan? Reconcile(GitOpsKey key, DateTimeOffset now);

    protected static string Namespace(JsonObject obj) => ObjectRules.Str(obj["metadata"]?["namespace"]) ?? string.Empty;

    protected static string Name(JsonObject obj) => ObjectRules.Str(obj["metadata"]?["name"]) ?? string.Empty;

    protected static string Timestamp(DateTimeOffset time) => ObjectRules.Timestamp(time);

    private async Task RunAsync(CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            var key = await Queue.TakeAsync(cancellation).ConfigureAwait(false);
            if (Cluster.Hooks.ControllersPaused)
            {
                Queue.AddAfter(key, TimeSpan.FromMilliseconds(200));
                continue;
            }

            try
            {
                if (Reconcile(key, Time.GetUtcNow()) is { } after)
                {
                    Queue.AddAfter(key, after);
                }
            }
            catch (StoreException conflict) when (conflict.Code == 409)
            {
                Queue.Add(key);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                Errors.Enqueue(error);
                while (Errors.Count > 100)
                {
                    Errors.TryDequeue(out _);
                }

                Queue.AddAfter(key, TimeSpan.FromSeconds(1));
            }
        }
    }
}
