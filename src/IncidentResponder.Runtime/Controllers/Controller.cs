using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using IncidentResponder.Runtime.Metrics;
using IncidentResponder.Runtime.Queue;
using k8s.Autorest;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Runtime.Controllers;

/// <summary>
/// N workers taking keys from a rate-limited queue and reconciling them, with controller-runtime's result handling:
/// exception → retry with backoff; <see cref="TerminalReconcileException"/> → recorded, not retried;
/// RequeueAfter → forget the failures and come back later; Done → forget.
/// The queue guarantees a key is never reconciled by two workers at once.
/// </summary>
public sealed class Controller : IDisposable
{
    private readonly IReconciler _reconciler;
    private readonly ControllerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly ControllerMetrics _metrics;
    private readonly ConcurrentDictionary<ReconcileRequest, TerminalError> _terminalErrors = new();

    public Controller(ControllerOptions options, IReconciler reconciler, RuntimeMetrics metrics, ILogger logger, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrentReconciles, 1);
        _options = options;
        _reconciler = reconciler;
        _logger = logger;
        _timeProvider = timeProvider;
        _metrics = new ControllerMetrics(metrics, options.Name);
        var queueMetrics = new PrometheusWorkQueueMetrics(metrics, options.Name);
        Queue = new RateLimitingQueue<ReconcileRequest>(DefaultControllerRateLimiter.Create<ReconcileRequest>(timeProvider), timeProvider, queueMetrics);
        queueMetrics.TrackUnfinishedWork(Queue);
    }

    public string Name => _options.Name;

    public RateLimitingQueue<ReconcileRequest> Queue { get; }

    /// <summary>Keys whose last reconcile failed terminally; an entry goes away when that key next reconciles cleanly.</summary>
    public IReadOnlyDictionary<ReconcileRequest, TerminalError> TerminalErrors => _terminalErrors;

    public void Enqueue(ReconcileRequest request) => Queue.Add(request);

    /// <summary>Runs the workers until <paramref name="cancellationToken"/> fires, then shuts the queue and waits for them.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _metrics.MaxConcurrentReconciles.Set(_options.MaxConcurrentReconciles);
        _logger.LogInformation("Starting controller {Controller} with {Workers} workers", Name, _options.MaxConcurrentReconciles);
        using var stopQueue = cancellationToken.Register(Queue.ShutDown);
        var workers = Enumerable.Range(0, _options.MaxConcurrentReconciles)
            .Select(_ => Task.Run(() => WorkAsync(cancellationToken), CancellationToken.None));
        await Task.WhenAll(workers).ConfigureAwait(false);
        _logger.LogInformation("Controller {Controller} stopped", Name);
    }

    public void Dispose() => Queue.Dispose();

    private async Task WorkAsync(CancellationToken stopping)
    {
        while (true)
        {
            var next = await Queue.GetAsync(CancellationToken.None).ConfigureAwait(false);
            if (next.ShutDown)
            {
                return;
            }

            _metrics.ActiveWorkers.Inc();
            try
            {
                await ReconcileOneAsync(next.Item, stopping).ConfigureAwait(false);
            }
            finally
            {
                _metrics.ActiveWorkers.Dec();
                Queue.Done(next.Item);
            }
        }
    }

    private async Task ReconcileOneAsync(ReconcileRequest request, CancellationToken stopping)
    {
        var reconcileId = Guid.NewGuid().ToString();
        using var scope = _logger.BeginScope(new Dictionary<string, object?>
        {
            ["controller"] = Name,
            ["namespace"] = request.Namespace,
            ["name"] = request.Name,
            ["reconcileID"] = reconcileId,
        });
        using var timeout = new CancellationTokenSource(_options.ReconcileTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeout.Token);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await _reconciler.ReconcileAsync(request, linked.Token).ConfigureAwait(false);
            _terminalErrors.TryRemove(request, out _);
            Queue.Forget(request);
            if (result.RequeueAfterDelay is { } delay)
            {
                _metrics.Result(ReconcileOutcome.RequeueAfter);
                Queue.AddAfter(request, delay);
            }
            else
            {
                _metrics.Result(ReconcileOutcome.Success);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: the queue is closed, the next leader or run picks the key up from its informer.
            _logger.LogDebug("Reconcile of {Request} cancelled by shutdown", request);
        }
        catch (TerminalReconcileException terminal)
        {
            _metrics.Result(ReconcileOutcome.Error);
            _metrics.TerminalErrors.Inc();
            _terminalErrors[request] = new TerminalError(request, reconcileId, terminal, _timeProvider.GetUtcNow());
            Queue.Forget(request);
            _logger.LogError(terminal, "Reconcile of {Request} failed terminally; not retrying until it changes", request);
        }
        catch (HttpOperationException conflict) when (conflict.Response.StatusCode == HttpStatusCode.Conflict && !stopping.IsCancellationRequested)
        {
            // Someone else wrote the object first: routine under optimistic concurrency, retried from a fresh read, so
            // it is counted and noted without a warning or a stack trace.
            _metrics.Result(ReconcileOutcome.Error);
            _metrics.Errors.Inc();
            Queue.AddRateLimited(request);
            _logger.LogInformation("Reconcile of {Request} met a conflicting write (409); retrying from a fresh read", request);
        }
        catch (Exception error)
        {
            _metrics.Result(ReconcileOutcome.Error);
            _metrics.Errors.Inc();
            Queue.AddRateLimited(request);
            var reason = timeout.IsCancellationRequested ? "timed out" : "failed";
            _logger.LogWarning(error, "Reconcile of {Request} {Reason}; retry {Attempt} scheduled with backoff", request, reason, Queue.NumRequeues(request));
        }
        finally
        {
            _metrics.ReconcileTime.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }
}
