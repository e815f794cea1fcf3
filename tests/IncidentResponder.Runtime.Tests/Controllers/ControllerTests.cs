using System.Net;
using IncidentResponder.Runtime.Controllers;
using IncidentResponder.Runtime.Metrics;
using IncidentResponder.Runtime.Tests.Support;
using k8s.Autorest;
using Microsoft.Extensions.Time.Testing;

namespace IncidentResponder.Runtime.Tests.Controllers;

public sealed class ControllerTests : IAsyncDisposable
{
    private static readonly ReconcileRequest Key = new("ns", "obj");
    private readonly FakeTimeProvider _clock = new();
    private readonly RuntimeMetrics _metrics = RuntimeMetrics.CreateIsolated();
    private readonly CapturingLogger _logger = new();
    private readonly CancellationTokenSource _stop = new();
    private Controller? _controller;
    private Task? _running;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null)
        {
            await _running;
        }

        _controller?.Dispose();
        _stop.Dispose();
    }

    [Fact]
    public async Task Success_is_counted_and_not_repeated()
    {
        var reconciler = new ScriptedReconciler((_, _, _) => Task.FromResult(ReconcileResult.Done));
        var controller = Start(reconciler);

        controller.Enqueue(Key);

        await Eventually.TrueAsync(() => Count("success") == 1);
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, reconciler.CallsFor(Key));
        Assert.Equal(1, _metrics.MaxConcurrentReconciles.WithLabels("test").Value);
    }

    [Fact]
    public async Task A_throwing_reconcile_is_retried_with_growing_backoff_until_it_succeeds()
    {
        var reconciler = new ScriptedReconciler((_, attempt, _) =>
            attempt <= 3 ? throw new InvalidOperationException($"boom {attempt}") : Task.FromResult(ReconcileResult.Done));
        var controller = Start(reconciler);

        controller.Enqueue(Key);
        await Eventually.TrueAsync(() => reconciler.CallsFor(Key) == 1 && controller.Queue.DelayedCount == 1);

        // 1st retry after 5 ms, 2nd after 10 ms, 3rd after 20 ms: never earlier.
        foreach (var (backoffMs, expectedCalls) in new[] { (5, 2), (10, 3), (20, 4) })
        {
            _clock.Advance(TimeSpan.FromMilliseconds(backoffMs - 1));
            Assert.Equal(expectedCalls - 1, reconciler.CallsFor(Key));
            _clock.Advance(TimeSpan.FromMilliseconds(1));
            await Eventually.TrueAsync(() => reconciler.CallsFor(Key) == expectedCalls, $"retry {expectedCalls}");
            if (expectedCalls < 4)
            {
                await Eventually.TrueAsync(() => controller.Queue.DelayedCount == 1);
            }
        }

        await Eventually.TrueAsync(() => Count("success") == 1);
        Assert.Equal(3, Count("error"));
        Assert.Equal(3, _metrics.ReconcileErrors.WithLabels("test").Value);
        Assert.Equal(3, _metrics.QueueRetries.WithLabels("test", "test").Value);
        Assert.Equal(0, controller.Queue.NumRequeues(Key));
    }

    [Fact]
    public async Task A_failing_reconcile_is_never_dropped_even_after_many_failures()
    {
        var reconciler = new ScriptedReconciler((_, _, _) => throw new InvalidOperationException("always"));
        var controller = Start(reconciler);
        controller.Enqueue(Key);

        for (var attempt = 1; attempt <= 25; attempt++)
        {
            await Eventually.TrueAsync(() => reconciler.CallsFor(Key) == attempt && controller.Queue.DelayedCount == 1, $"attempt {attempt}");
            _clock.Advance(TimeSpan.FromSeconds(1000));
        }

        Assert.Equal(25, controller.Queue.NumRequeues(Key));
    }

    [Fact]
    public async Task A_terminal_error_is_recorded_and_not_retried_until_enqueued_again()
    {
        var reconciler = new ScriptedReconciler((_, attempt, _) =>
            attempt == 1 ? throw new TerminalReconcileException("spec is invalid") : Task.FromResult(ReconcileResult.Done));
        var controller = Start(reconciler);

        controller.Enqueue(Key);
        await Eventually.TrueAsync(() => controller.TerminalErrors.ContainsKey(Key));
        _clock.Advance(TimeSpan.FromSeconds(2000));

        Assert.Equal(1, reconciler.CallsFor(Key));
        Assert.Equal(0, controller.Queue.DelayedCount);
        Assert.Equal(1, _metrics.TerminalReconcileErrors.WithLabels("test").Value);
        Assert.Equal("spec is invalid", controller.TerminalErrors[Key].Error.Message);
        Assert.Contains(_logger.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Error && e.Message.Contains("terminally", StringComparison.Ordinal));

        // The object changed: a new event enqueues it, it reconciles cleanly and the record is cleared.
        controller.Enqueue(Key);
        await Eventually.TrueAsync(() => reconciler.CallsFor(Key) == 2 && !controller.TerminalErrors.ContainsKey(Key));
    }

    [Fact]
    public async Task Requeue_after_reconciles_again_after_the_delay()
    {
        var reconciler = new ScriptedReconciler((_, attempt, _) =>
            Task.FromResult(attempt == 1 ? ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(30)) : ReconcileResult.Done));
        var controller = Start(reconciler);

        controller.Enqueue(Key);
        await Eventually.TrueAsync(() => Count("requeue_after") == 1 && controller.Queue.DelayedCount == 1);
        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(1, reconciler.CallsFor(Key));

        _clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => reconciler.CallsFor(Key) == 2);
    }

    [Fact]
    public async Task A_reconcile_that_overruns_its_timeout_is_cancelled_and_retried()
    {
        var reconciler = new ScriptedReconciler(async (_, attempt, ct) =>
        {
            if (attempt == 1)
            {
                await Task.Delay(Timeout.Infinite, ct);
            }

            return ReconcileResult.Done;
        });
        var controller = Start(reconciler, timeout: TimeSpan.FromSeconds(10));

        controller.Enqueue(Key);
        await Eventually.TrueAsync(() => reconciler.CallsFor(Key) == 1);
        _clock.Advance(TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => Count("error") == 1 && controller.Queue.DelayedCount == 1);
        _clock.Advance(TimeSpan.FromMilliseconds(5));
        await Eventually.TrueAsync(() => Count("success") == 1);
    }

    [Fact]
    public async Task A_conflicting_write_is_retried_and_noted_in_one_line_without_a_warning_or_stack_trace()
    {
        var reconciler = new ScriptedReconciler((_, attempt, _) => attempt == 1
            ? throw new HttpOperationException("conflict") { Response = new HttpResponseMessageWrapper(new HttpResponseMessage(HttpStatusCode.Conflict), "conflict") }
            : Task.FromResult(ReconcileResult.Done));
        var controller = Start(reconciler);

        controller.Enqueue(Key);
        await Eventually.TrueAsync(() => Count("error") == 1 && controller.Queue.DelayedCount == 1);
        _clock.Advance(TimeSpan.FromMilliseconds(5));
        await Eventually.TrueAsync(() => Count("success") == 1);

        var noted = Assert.Single(_logger.Entries, e => e.Message.Contains("409", StringComparison.Ordinal));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Information, noted.Level);
        Assert.DoesNotContain("HttpOperationException", noted.Message, StringComparison.Ordinal); // logged without the exception
        Assert.DoesNotContain(_logger.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    [Fact]
    public async Task Each_reconcile_logs_inside_one_scope_with_controller_namespace_name_and_id()
    {
        var reconciler = new ScriptedReconciler((_, _, _) => throw new InvalidOperationException("x"));
        var controller = Start(reconciler);

        controller.Enqueue(Key);
        await Eventually.TrueAsync(() => _logger.Entries.Any(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning));

        var entry = _logger.Entries.First(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
        var scope = Assert.IsType<Dictionary<string, object?>>(Assert.Single(entry.Scopes));
        Assert.Equal("test", scope["controller"]);
        Assert.Equal("ns", scope["namespace"]);
        Assert.Equal("obj", scope["name"]);
        Assert.True(Guid.TryParse((string)scope["reconcileID"]!, out _));
    }

    [Fact]
    public async Task With_many_workers_one_key_is_never_reconciled_concurrently()
    {
        var inFlight = new Dictionary<ReconcileRequest, int>();
        var violations = 0;
        var gate = new Lock();
        var reconciler = new ScriptedReconciler(async (request, _, _) =>
        {
            lock (gate)
            {
                inFlight[request] = inFlight.GetValueOrDefault(request) + 1;
                if (inFlight[request] > 1)
                {
                    violations++;
                }
            }

            await Task.Yield();
            lock (gate)
            {
                inFlight[request]--;
            }

            return ReconcileResult.Done;
        });
        var controller = Start(reconciler, workers: 4);

        for (var i = 0; i < 2000; i++)
        {
            controller.Enqueue(new ReconcileRequest("ns", $"obj{i % 3}"));
        }

        await Eventually.TrueAsync(() => controller.Queue.Count == 0 && controller.Queue.ProcessingDurations().Count == 0);
        Assert.Equal(0, violations);
        Assert.Equal(4, _metrics.MaxConcurrentReconciles.WithLabels("test").Value);
    }

    private Controller Start(IReconciler reconciler, int workers = 1, TimeSpan? timeout = null)
    {
        _controller = new Controller(
            new ControllerOptions { Name = "test", MaxConcurrentReconciles = workers, ReconcileTimeout = timeout ?? TimeSpan.FromMinutes(2) },
            reconciler,
            _metrics,
            _logger,
            _clock);
        _running = _controller.RunAsync(_stop.Token);
        return _controller;
    }

    private double Count(string result) => _metrics.ReconcileTotal.WithLabels("test", result).Value;
}
