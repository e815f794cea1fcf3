using IncidentResponder.Runtime.Controllers;
using IncidentResponder.Runtime.Informers;
using IncidentResponder.Runtime.Metrics;
using IncidentResponder.Simulator;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace IncidentResponder.Runtime.Tests.Simulated;

public sealed class ControllerSimulatorTests : IAsyncDisposable
{
    private readonly RuntimeMetrics _metrics = RuntimeMetrics.CreateIsolated();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];
    private SimulatorSession? _session;
    private Controller? _controller;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_running);
        _controller?.Dispose();
        if (_session is not null)
        {
            await _session.DisposeAsync();
        }

        _stop.Dispose();
    }

    [Fact]
    public async Task A_reconcile_that_hits_409_on_its_status_update_retries_and_converges()
    {
        var session = await StartAsync();
        await CreateDeploymentAsync("web");

        // More conflicts than the status writer absorbs (2 retries): the reconcile fails, is requeued, and converges.
        using var conflicts = session.Hooks.InjectFault(new FaultRule { Verb = "patch", Resource = "deployments", Subresource = "status", StatusCode = 409, Times = 5 });
        var reconciler = await StartControllerAsync(maxConflictRetries: 2);

        await Eventually.TrueAsync(() => ObservedGeneration("web") == 1, "status converged", TimeSpan.FromSeconds(20));
        // The simulator appends an audit record once the answer is sent, so the record can trail the change it records.
        await Eventually.TrueAsync(() => session.Hooks.AuditLog.Any(a => a is { Verb: "patch", Resource: "deployments", Subresource: "status", StatusCode: 200 }),
            "the accepted status patch audited", TimeSpan.FromSeconds(5));
        var statusPatches = session.Hooks.AuditLog.Where(a => a is { Verb: "patch", Resource: "deployments", Subresource: "status" }).ToList();
        Assert.Equal(5, statusPatches.Count(a => a.StatusCode == 409));
        Assert.Single(statusPatches, a => a.StatusCode == 200);
        Assert.Equal(1, _metrics.ReconcileErrors.WithLabels("deployments").Value);
        Assert.True(reconciler.AttemptsFor("web") >= 2);
    }

    [Fact]
    public async Task A_throwing_reconcile_is_retried_with_growing_backoff_and_never_dropped()
    {
        var session = await StartAsync();
        await CreateDeploymentAsync("flaky");
        using var outage = session.Hooks.InjectFault(new FaultRule { Verb = "get", Resource = "deployments", Name = "flaky", StatusCode = 503, Times = 8 });
        var reconciler = await StartControllerAsync();

        await Eventually.TrueAsync(() => ObservedGeneration("flaky") == 1, "converged after the outage", TimeSpan.FromSeconds(30));
        Assert.Equal(8, _metrics.ReconcileErrors.WithLabels("deployments").Value);

        // Gaps between attempts follow 5 ms · 2^n: each at least the backoff it was due.
        var times = reconciler.Attempts.Where(a => a.Request.Name == "flaky").Select(a => a.At).ToList();
        for (var n = 1; n < 9; n++)
        {
            var expected = TimeSpan.FromMilliseconds(5 * Math.Pow(2, n - 1));
            Assert.True(times[n] - times[n - 1] >= expected - TimeSpan.FromMilliseconds(2), $"retry {n} came after {(times[n] - times[n - 1]).TotalMilliseconds} ms, backoff was {expected.TotalMilliseconds} ms");
        }
    }

    [Fact]
    public async Task A_terminal_error_is_recorded_and_not_retried_until_the_object_changes()
    {
        var session = await StartAsync();
        await CreateDeploymentAsync("bad", invalid: true);
        var reconciler = await StartControllerAsync();
        var key = new ReconcileRequest("default", "bad");

        await Eventually.TrueAsync(() => _controller!.TerminalErrors.ContainsKey(key), "terminal error recorded");
        Assert.Equal(1, _metrics.TerminalReconcileErrors.WithLabels("deployments").Value);
        var deadline = DateTime.UtcNow.AddSeconds(1);
        while (DateTime.UtcNow < deadline)
        {
            Assert.Equal(1, reconciler.AttemptsFor("bad"));
            Assert.Equal(0, _controller!.Queue.DelayedCount);
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        // Fixing the spec produces a watch event, the key is reconciled again and the record is cleared.
        await session.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"metadata":{"labels":{"invalid":null}}}""", V1Patch.PatchType.MergePatch), "bad", "default", cancellationToken: TestContext.Current.CancellationToken);
        await Eventually.TrueAsync(() => ObservedGeneration("bad") == 1 && !_controller!.TerminalErrors.ContainsKey(key), "reconciled after fix", TimeSpan.FromSeconds(20));
    }

    /// <summary>Read with LIST so the injected GET faults aimed at the reconciler do not hit the test's own checks.</summary>
    private long? ObservedGeneration(string name) =>
        _session!.Client.AppsV1.ListNamespacedDeployment("default").Items.Single(d => d.Metadata.Name == name).Status?.ObservedGeneration;

    private async Task<SimulatorSession> StartAsync()
    {
        _session = await SimulatorSession.StartAsync();
        return _session;
    }

    private Task<V1Deployment> CreateDeploymentAsync(string name, bool invalid = false) =>
        _session!.Client.AppsV1.CreateNamespacedDeploymentAsync(
            new V1Deployment
            {
                Metadata = new V1ObjectMeta { Name = name, Labels = invalid ? new Dictionary<string, string> { ["invalid"] = "true" } : null },
                Spec = new V1DeploymentSpec
                {
                    Replicas = 1,
                    Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
                    Template = new V1PodTemplateSpec
                    {
                        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                        Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "web:1" }] },
                    },
                },
            },
            "default",
            cancellationToken: TestContext.Current.CancellationToken);

    private async Task<ObservedGenerationReconciler> StartControllerAsync(int maxConflictRetries = 5)
    {
        var reconciler = new ObservedGenerationReconciler(new DeploymentStatusClient(_session!.Client), maxConflictRetries);
        var informer = new Informer<V1Deployment, CachedResource<V1Deployment>>(
            KubernetesSources.Deployments(_session.Client, "default"),
            CachedResource<V1Deployment>.Project,
            new InformerOptions(),
            _metrics,
            NullLogger.Instance,
            TimeProvider.System);
        _controller = new Controller(new ControllerOptions { Name = "deployments", MaxConcurrentReconciles = 2 }, reconciler, _metrics, NullLogger.Instance, TimeProvider.System);
        _controller.For(informer);
        _running.Add(informer.RunAsync(_stop.Token));
        await informer.WaitForSyncAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        _running.Add(_controller.RunAsync(_stop.Token));
        return reconciler;
    }
}
